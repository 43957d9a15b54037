/**
 * The Redis side of the counters, as Lua scripts so each call is atomic and one round trip.
 * They mirror MemoryBackend exactly (isOverLimit in counter-backend.ts). Every check uses two
 * KEYS: the current bucket (or in-flight set) and the previous bucket (the same key when none).
 * Numbers go back as strings because Redis truncates Lua numbers to integers.
 */

/**
 * KEYS: 2 per check. ARGV: check count, now (ms), request id, then per check: kind (w|c),
 * hard limit (-1 = none), amount, previous weight, ttl (ms).
 * Returns {blocked index (1-based, 0 = admitted), current1, previous1, current2, previous2, ...}.
 */
export const admitScript = `
local n = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local id = ARGV[3]
local eps = 1e-9
local out = {0}
local blocked = 0
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
    current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
    if weight > 0 then previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0') end
  end
  out[2 * i] = tostring(current)
  out[2 * i + 1] = tostring(previous)
  if blocked == 0 and limit >= 0 then
    local used = current + previous * weight
    if (amount <= 0 and used >= limit - eps) or (amount > 0 and used + amount > limit + eps) then blocked = i end
  end
end
if blocked == 0 then
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
return out
`;

/**
 * KEYS: adjusted buckets, then in-flight sets, then keys to read. ARGV: adjustment count,
 * release count, then the deltas, then the request ids. A bucket that has expired is not
 * recreated by a correction. Returns the read keys' values as strings.
 */
export const settleScript = `
local adjustments = tonumber(ARGV[1])
local releases = tonumber(ARGV[2])
for i = 1, adjustments do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local value = tonumber(redis.call('INCRBYFLOAT', KEYS[i], ARGV[2 + i]))
    if value < 0 then redis.call('SET', KEYS[i], '0', 'KEEPTTL') end
  end
end
for i = 1, releases do
  redis.call('ZREM', KEYS[adjustments + i], ARGV[2 + adjustments + i])
end
local out = {}
for i = adjustments + releases + 1, #KEYS do
  out[#out + 1] = redis.call('GET', KEYS[i]) or '0'
end
return out
`;

/** KEYS[1]: a window counter; ARGV: the value it must hold at least, its TTL (ms) when created or raised. */
export const raiseScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`;
