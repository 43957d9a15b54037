import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedactingGateway, type RedactingGateway } from './redacting-gateway.ts';

// What reaches the provider after request-side redaction (guardrails-6 audit, F5): a carrier's name
// taken for a person ("Royal Mail"), a product code in the SSN layout, versions named as an upgrade
// path taken for IPv4 addresses, and the MySQL command line's `-p'…'` password missed.

describe('pii: carriers, product codes, upgrade paths and mysql -p, as the provider receives them', () => {
  let gateway: RedactingGateway;
  before(async () => {
    gateway = await startRedactingGateway({ default: '{}' });
  });
  after(() => gateway.close());
  const forwarded = (content: string) => gateway.forwarded('default', content);

  it('a carrier named before a tracking number is no person', async () => {
    assert.equal(await forwarded('Royal Mail tracking AB123456785GB'), 'Royal Mail tracking AB123456785GB');
    assert.equal(await forwarded('Hi, I am Grace Lee and my parcel went by Royal Mail.'), 'Hi, I am [PERSON] and my parcel went by Royal Mail.');
  });

  it('a product or part number in the SSN layout is no SSN; an SSN is one, with or without its cue', async () => {
    assert.equal(await forwarded('product code 300-12-5546 (the 12-pack)'), 'product code 300-12-5546 (the 12-pack)');
    assert.equal(await forwarded('Replacement part no. 523-45-6789 fits both models.'), 'Replacement part no. 523-45-6789 fits both models.');
    assert.equal(await forwarded('My SSN is 523-45-6789.'), 'My SSN is [SSN].');
    assert.equal(await forwarded('Form attached, 523-45-6789 on page two.'), 'Form attached, [SSN] on page two.');
  });

  it('versions on an upgrade path are no addresses; addresses on a route still are', async () => {
    assert.equal(await forwarded('upgrade path 2.4.1.7 -> 2.4.2.0'), 'upgrade path 2.4.1.7 -> 2.4.2.0');
    assert.equal(await forwarded('The migration path: 3.1.0.4 → 3.2.0.1 then reboot.'), 'The migration path: 3.1.0.4 → 3.2.0.1 then reboot.');
    assert.equal(await forwarded('NAT route: 10.0.0.1 -> 203.0.113.9'), 'NAT route: [IP_ADDRESS] -> [IP_ADDRESS]');
  });

  it('the mysql client password glued to -p or after --password=, not a bare -p or a variable', async () => {
    assert.equal(await forwarded("mysql -u root -p'Pa55-Orchid-61' shop"), "mysql -u root -p'[SECRET]' shop");
    assert.equal(await forwarded('run mysqldump -u app --password=Tr0ub4dor3x app_db > dump.sql'), 'run mysqldump -u app --password=[SECRET] app_db > dump.sql');
    assert.equal(await forwarded('mysql -u root -p shop'), 'mysql -u root -p shop');
    assert.equal(await forwarded('mysql -u root -p$MYSQL_PWD shop'), 'mysql -u root -p$MYSQL_PWD shop');
  });
});
