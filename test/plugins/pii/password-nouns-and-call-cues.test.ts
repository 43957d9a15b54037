import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { found } from './pii-helpers.ts';

// A blind audit (guardrails-5) found: a password named after a hyphenated noun ("Das Passwort für
// den VPN-Zugang ist …") left in clear with the noun redacted instead (F1); "codice articolo
// 548-207-6498" redacted as a phone (F4); national phones after call verbs and signature labels
// ("llámenme al 93 412 77 05", "M: 02 8912 4410") missed with the default countries (F5).

const only = (label: string, text: string, config: Record<string, unknown> = {}): string[] => found(text, config).filter((entry) => entry.startsWith(`${label}:`));
const password = 'Kx7#mPq2Lw9z';

describe('pii: a password named after a hyphenated noun', () => {
  it('takes the value after the copula, never the noun before it, in every language of the cue', () => {
    const sentences = [
      `Das Passwort für den VPN-Zugang ist ${password}, bitte nicht weitergeben.`,
      `Das Passwort für den VPN-Zugang lautet ${password}`,
      `Das Passwort für den VPN-Zugang: ${password}`,
      `The password for the VPN-gateway is ${password}.`,
      `The password for the test-account is ${password}.`,
      `the password for the wi-fi is ${password}`,
      `Het wachtwoord voor de VPN-verbinding is ${password}.`,
      `Het wachtwoord van het e-mail-account is ${password}`,
      `Le mot de passe du serveur-web est ${password}.`,
      `Le mot de passe pour le serveur-web est : ${password}`,
      `El contraseña del correo-web es ${password}.`,
      `La contraseña de la cuenta-test es ${password}`,
      `La password del server-web è ${password}.`,
      `A senha do e-mail-corporativo é ${password}`,
      `Hasło do VPN-a to ${password}`,
      `Lösenordet till VPN-kontot är ${password}`,
    ];
    for (const sentence of sentences) assert.deepEqual(only('SECRET', sentence), [`SECRET:${password}`], sentence);
    assert.deepEqual(only('SECRET', 'Das Passwort für den VPN-Zugang ist MHEIkvlhb113%ak, bitte nicht weitergeben.'), ['SECRET:MHEIkvlhb113%ak']);
  });

  it('finds nothing where no value follows the noun', () => {
    assert.deepEqual(only('SECRET', 'The password for the VPN-gateway is in the vault.'), []);
    assert.deepEqual(only('SECRET', 'Het wachtwoord voor de VPN-verbinding is gewijzigd.'), []);
  });
});

describe('pii: article codes are no phones', () => {
  it('codice articolo, cod. art., articolo n. and their equivalents', () => {
    assert.deepEqual(only('PHONE', "Numero d'ordine 2427273433, importo 1.020,00 €, codice articolo 548-207-6498."), []);
    for (const cue of ['cod. art.', 'articolo n.', 'código de artículo', 'código do artigo', 'Artikelnummer', 'référence article', 'numer artykułu', 'Kod produktu', 'ürün kodu']) {
      assert.deepEqual(only('PHONE', `${cue} 548-207-6498`), [], cue);
    }
    assert.deepEqual(only('PHONE', 'codice articolo 548-207-6498', { entities: { phone: { countries: ['US', 'IT'] } } }), []);
  });
});

describe('pii: national phones after call verbs and signature labels', () => {
  it('counts a national number after the cue, with the default countries', () => {
    const cases: Array<[string, string]> = [
      ['Por favor, llámenme al 93 412 77 05.', '93 412 77 05'],
      ['Contattatemi al 02 8912 4410.', '02 8912 4410'],
      ['Chiamatemi al 02 8912 4410', '02 8912 4410'],
      ['o meu telemóvel é 912 345 678', '912 345 678'],
      ['Pode ligar para 912 345 678', '912 345 678'],
      ['zadzwoń pod 512-345-678', '512-345-678'],
      ['Appelez-moi au 06 12 34 56 78', '06 12 34 56 78'],
      ['Ruf mich an unter 030 1234567', '030 1234567'],
      ['--\nDiego Fernández\nSenior Buyer | Northwind Traders\nM: 93 412 77 05', '93 412 77 05'],
      ['M: 02 8912 4410', '02 8912 4410'],
      ['Pozdrawiam\nKatarzyna\nMob.: 601 222 333', '601 222 333'],
      ['Tel.: 601 222 333', '601 222 333'],
      ['T: 601 222 333', '601 222 333'],
    ];
    for (const [text, phone] of cases) assert.deepEqual(only('PHONE', text), [`PHONE:${phone}`], text);
  });

  it('a letter is a label only at the start of a line', () => {
    assert.deepEqual(only('PHONE', 'FORM: 601 222 333'), []);
    assert.deepEqual(only('PHONE', 'item M: 601 222 333'), []);
    assert.deepEqual(only('PHONE', 'la llama come 601 222 333 hojas'), []);
  });
});
