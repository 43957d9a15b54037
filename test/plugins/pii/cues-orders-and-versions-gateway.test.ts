import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedactingGateway, type RedactingGateway } from './redacting-gateway.ts';

// What reaches the provider after request-side redaction (guardrails-3 audit, F1-F6): a password a
// hyphenated word after its cue, birth dates with the verb last or in the third person, order
// numbers in Polish and Portuguese, versions beside one no address can be, and draws and SSN-shaped
// part numbers with many phone countries. The values are written for this test, not the audit's.

const countries = '[US, GB, DE, FR, ES, IT, NL, PT, PL, JP, IN, BR]';

describe('pii: cues, orders and versions, as the provider receives them', () => {
  let gateway: RedactingGateway;

  before(async () => {
    gateway = await startRedactingGateway({ default: '{}', countries: `{ entities: { phone: { countries: ${countries} } } }` });
  });
  after(() => gateway.close());

  /** The user message as the provider received it. */
  const forwarded = (content: string, model = 'default') => gateway.forwarded(model, content);

  it('a password a hyphenated word after its cue ("senha do e-mail é …")', async () => {
    assert.equal(await forwarded('Esqueci: a senha do e-mail é Qw7!vRt2zK, pode trocar?'), 'Esqueci: a senha do e-mail é [SECRET], pode trocar?');
    assert.equal(await forwarded('Mi contraseña del wi-fi es Lp4#nM8xq2'), 'Mi contraseña del wi-fi es [SECRET]');
  });

  it('birth dates with the participle last (DE, NL) and in the third person or past (ES, PT, IT, PL)', async () => {
    assert.equal(await forwarded('Meine Tochter ist am 14.07.2011 geboren, braucht sie einen Pass?'), 'Meine Tochter ist am [DATE_OF_BIRTH] geboren, braucht sie einen Pass?');
    assert.equal(await forwarded('Er wurde am 3. März 1972 in Linz geboren.'), 'Er wurde am [DATE_OF_BIRTH] in Linz geboren.');
    assert.equal(await forwarded('Mijn vader is op 02-11-1948 geboren.'), 'Mijn vader is op [DATE_OF_BIRTH] geboren.');
    assert.equal(await forwarded('El titular nació el 8 de enero de 1983.'), 'El titular nació el [DATE_OF_BIRTH].');
    assert.equal(await forwarded('A cliente nasceu em 21/06/1990.'), 'A cliente nasceu em [DATE_OF_BIRTH].');
    assert.equal(await forwarded('Mio nonno nacque il 5 aprile 1931.'), 'Mio nonno nacque il [DATE_OF_BIRTH].');
    assert.equal(await forwarded('Urodziłam się 17.09.1994 w Gdańsku.'), 'Urodziłam się [DATE_OF_BIRTH] w Gdańsku.');
    // Not a birth: a company founded on a date.
    assert.equal(await forwarded('Die Firma wurde am 01.02.2003 gegründet.'), 'Die Firma wurde am 01.02.2003 gegründet.');
  });

  it('order numbers after Polish and Portuguese order words are not phones', async () => {
    assert.equal(await forwarded('Numer zamówienia 71350284, proszę o status.'), 'Numer zamówienia 71350284, proszę o status.');
    assert.equal(await forwarded('Número da encomenda 912640385, já paguei.'), 'Número da encomenda 912640385, já paguei.');
    // A phone after the same cue word is still one.
    assert.equal(await forwarded('Mój numer telefonu 601 234 567.'), 'Mój numer telefonu [PHONE].');
  });

  it('a version quad beside a dotted number no address can be is not an IP address', async () => {
    assert.equal(await forwarded('Going from 7.2.10.33 to 7.3.0.1150 broke the plugin.'), 'Going from 7.2.10.33 to 7.3.0.1150 broke the plugin.');
    assert.equal(await forwarded('The host 10.20.30.40 is down.'), 'The host [IP_ADDRESS] is down.');
  });

  it('with twelve phone countries: a draw and an SSN-shaped part number are not phones; pairs with a trunk 0 still are', async () => {
    for (const draw of ['7 18 29 36 44', '4 12 23 35 47', '6 15 26 31 49']) {
      assert.equal(await forwarded(`The winning numbers were ${draw} this week.`, 'countries'), `The winning numbers were ${draw} this week.`);
    }
    assert.equal(await forwarded('Catalogue entries 933-41-2087 and 951-07-3342 are reserved.', 'countries'), 'Catalogue entries 933-41-2087 and 951-07-3342 are reserved.');
    assert.equal(await forwarded('Son portable: 06 12 34 56 78.', 'countries'), 'Son portable: [PHONE].');
  });
});
