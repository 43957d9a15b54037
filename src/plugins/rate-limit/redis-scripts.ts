/**
 * The Redis side of the counters, as Lua scripts so each call is atomic and one round trip.
 * They mirror MemoryBackend exactly (isOverLimit in counter-backend.ts). Every check uses two
 * KEYS: the current bucket (or in-flight set) and the previous bucket or a budget's seed mark
 * (the same key when none).
 * Numbers go back as strings because Redis truncates Lua numbers to integers.
 */

/**
 * KEYS: 2 per check. ARGV: check count, now (ms), request id, then per check: kind, hard limit
 * (-1 = none), amount, previous weight, ttl (ms). Kinds: w (window counter; the second key is the
 * previous bucket), s (a budget seeded from the ledger; the second key is its seed mark: calendar
 * windows have no previous bucket), c (in-flight set; the second key is unused).
 * Returns {blocked index (1-based, 0 = admitted), current1, previous1, current2, previous2, ...,
 * then the 1-based indexes of the s checks whose counter or seed mark is missing}. When some are
 * missing and no check is over its limit, nothing is charged (the caller seeds them, then admits again).
 */
export const admitScript = `
local n = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local id = ARGV[3]
local eps = 1e-9
local out = {0}
local blocked = 0
local unseeded = {}
for i = 1, n do
  local b = 3 + (i - 1) * 5
  local kind = ARGV[b + 1]
  local limit = tonumber(ARGV[b + 2])
  local amount = tonumber(ARGV[b + 3])
  local weight = tonumber(ARGV[b + 4])
  local ttl = tonumber(ARGV[b + 5])
  local current, previous = 0, 0
  if kind == 'c' then
    redis.call('ZREMRANGEBYSCORE', KEYS[2 * i - 1], '-inf', now - ttl)
    current = redis.call('ZCARD', KEYS[2 * i - 1])
  else
    local value = redis.call('GET', KEYS[2 * i - 1])
    current = tonumber(value or '0')
    if kind == 's' then
      if not value or redis.call('EXISTS', KEYS[2 * i]) == 0 then unseeded[#unseeded + 1] = i end
    elseif weight > 0 then previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0') end
  end
  out[2 * i] = tostring(current)
  out[2 * i + 1] = tostring(previous)
  if blocked == 0 and limit >= 0 then
    local used = current + previous * weight
    if (amount <= 0 and used >= limit - eps) or (amount > 0 and used + amount > limit + eps) then blocked = i end
  end
end
if blocked == 0 and #unseeded == 0 then
  for i = 1, n do
    local b = 3 + (i - 1) * 5
    local kind = ARGV[b + 1]
    local amount = tonumber(ARGV[b + 3])
    local ttl = tonumber(ARGV[b + 5])
    if kind == 'c' then
      redis.call('ZADD', KEYS[2 * i - 1], now, id)
      redis.call('PEXPIRE', KEYS[2 * i - 1], ttl)
    else
      -- Created even for a zero amount: the settle script's correction only lands on a bucket that exists.
      redis.call('INCRBYFLOAT', KEYS[2 * i - 1], ARGV[b + 3])
      redis.call('PEXPIRE', KEYS[2 * i - 1], ttl)
    end
  end
end
out[1] = blocked
for j = 1, #unseeded do out[2 * n + 1 + j] = unseeded[j] end
return out
`;

/**
 * KEYS: per adjustment its bucket and the bucket's settled spend (settledKeyOf), then in-flight
 * sets, then keys to read. ARGV: adjustment count, release count, then per adjustment its delta
 * and what the request spent (0 but for budgets), then the request ids. A bucket that has expired
 * is not recreated by a correction, nor is its settled spend; a settled spend is created with the
 * time its bucket has left. Returns the read keys' values as strings.
 */
export const settleScript = `
local adjustments = tonumber(ARGV[1])
local releases = tonumber(ARGV[2])
for i = 1, adjustments do
  local ttl = redis.call('PTTL', KEYS[2 * i - 1])
  if ttl ~= -2 then
    if tonumber(ARGV[1 + 2 * i]) ~= 0 then
      local value = tonumber(redis.call('INCRBYFLOAT', KEYS[2 * i - 1], ARGV[1 + 2 * i]))
      if value < 0 then redis.call('SET', KEYS[2 * i - 1], '0', 'KEEPTTL') end
    end
    if tonumber(ARGV[2 + 2 * i]) > 0 then
      if redis.call('EXISTS', KEYS[2 * i]) == 1 then redis.call('INCRBYFLOAT', KEYS[2 * i], ARGV[2 + 2 * i])
      elseif ttl > 0 then redis.call('SET', KEYS[2 * i], ARGV[2 + 2 * i], 'PX', ttl)
      else redis.call('SET', KEYS[2 * i], ARGV[2 + 2 * i]) end
    end
  end
end
for i = 1, releases do
  redis.call('ZREM', KEYS[2 * adjustments + i], ARGV[2 + 2 * adjustments + i])
end
local out = {}
for i = 2 * adjustments + releases + 1, #KEYS do
  out[#out + 1] = redis.call('GET', KEYS[i]) or '0'
end
return out
`;

/**
 * KEYS[1]: a budget's counter, KEYS[2]: its seed mark, KEYS[3]: its settled spend. ARGV: the value
 * the counter and the settled spend must hold at least, the TTL (ms) of a value created or raised
 * and of the mark.
 */
export const raiseScript = `
for _, key in ipairs({KEYS[1], KEYS[3]}) do
  local value = redis.call('GET', key)
  if not value or tonumber(ARGV[1]) > tonumber(value) then redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1
`;

/**
 * Re-stamps the in-flight entries of requests still running (in-flight-leases.ts). KEYS: in-flight
 * sets. ARGV: now (ms), lease (ms), then per set: the number of its request ids, then those ids.
 * An entry Redis lost (it came back empty) is added again: its request is still running.
 */
export const refreshScript = `
local now = ARGV[1]
local lease = tonumber(ARGV[2])
local at = 3
for i = 1, #KEYS do
  local count = tonumber(ARGV[at])
  for j = 1, count do redis.call('ZADD', KEYS[i], now, ARGV[at + j]) end
  at = at + count + 1
  redis.call('PEXPIRE', KEYS[i], lease)
end
return 1
`;
