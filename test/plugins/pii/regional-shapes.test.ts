import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aadhaarValid, cpfValid, kimlikValid, peselValid, personnummerValid } from '../../../src/plugins/pii/detectors/national-id.ts';
import { found } from './pii-helpers.ts';

const only = (label: string, text: string): string[] => found(text).filter((entry) => entry.startsWith(`${label}:`));

describe('pii: regional shapes, record keys and cues in more languages', () => {
  it('dates of birth: record keys, CSV columns, more languages, yyyy/mm/dd, a sex/date tuple', () => {
    assert.deepEqual(only('DATE_OF_BIRTH', '{"username":"sky_91","dob":"1991-11-11"}'), ['DATE_OF_BIRTH:1991-11-11']);
    assert.deepEqual(only('DATE_OF_BIRTH', '<birthDate>1994-08-19</birthDate>'), ['DATE_OF_BIRTH:1994-08-19']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'file.csv\nid,first,dob\n1,Noa,1990-02-03\n2,Emeka,1986-10-21'), ['DATE_OF_BIRTH:1990-02-03', 'DATE_OF_BIRTH:1986-10-21']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'Krause, Helga, geb. 12.11.1948.'), ['DATE_OF_BIRTH:12.11.1948']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'Data urodzenia: 14.06.1988'), ['DATE_OF_BIRTH:14.06.1988']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'doğum tarihi 17.02.1965'), ['DATE_OF_BIRTH:17.02.1965']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'Date of birth: 1979/10/03'), ['DATE_OF_BIRTH:1979/10/03']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'nacida el 5 de mayo de 1961'), ['DATE_OF_BIRTH:5 de mayo de 1961']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'Patient: Okoro, Chinedu (M, 1971-01-19)'), ['DATE_OF_BIRTH:1971-01-19']);
    // Hard negatives: other dates, other columns, a date in brackets without a sex.
    assert.deepEqual(only('DATE_OF_BIRTH', 'id,created_at\n1,2024-01-05'), []);
    assert.deepEqual(only('DATE_OF_BIRTH', 'Admitted: 02/02/2024 (ward 3, 2024-02-06)'), []);
    assert.deepEqual(only('DATE_OF_BIRTH', '{"created": "2024-01-15", "dateOfBirth": null}'), []);
  });

  it('national IDs: Aadhaar, CPF, PESEL, personnummer, T.C. Kimlik with their cues and checks; NINO with spaces after "NI"', () => {
    assert.ok(aadhaarValid('9499 2135 5775') && !aadhaarValid('9499 2135 5776'));
    assert.ok(cpfValid('372.240.328-67') && !cpfValid('372.240.328-68') && !cpfValid('111.111.111-11'));
    assert.ok(peselValid('88061454727') && !peselValid('88061454728'));
    assert.ok(kimlikValid('50005125390') && !kimlikValid('50005125391'));
    assert.ok(personnummerValid('811228-9874') && !personnummerValid('811228-9875'));
    assert.deepEqual(only('NATIONAL_ID', 'Aadhaar: 2023 1830 1775'), ['NATIONAL_ID:2023 1830 1775']);
    assert.deepEqual(only('NATIONAL_ID', 'CPF 800.347.468-03.'), ['NATIONAL_ID:800.347.468-03']);
    assert.deepEqual(only('NATIONAL_ID', 'PESEL: 88061454727'), ['NATIONAL_ID:88061454727']);
    assert.deepEqual(only('NATIONAL_ID', 'T.C. Kimlik No: 50005125390'), ['NATIONAL_ID:50005125390']);
    assert.deepEqual(only('NATIONAL_ID', 'Personnummer: 811228-9874'), ['NATIONAL_ID:811228-9874']);
    assert.deepEqual(only('NATIONAL_ID', 'NI: WE 28 69 42 C'), ['NATIONAL_ID:WE 28 69 42 C']);
    assert.deepEqual(only('NATIONAL_ID', 'Spanish NIE for me, the consulate form keeps rejecting it: Z0799201W'), ['NATIONAL_ID:Z0799201W']);
    // Hard negatives: no cue, or a failing check digit.
    assert.deepEqual(only('NATIONAL_ID', 'order 9499 2135 5775 shipped'), []);
    assert.deepEqual(only('NATIONAL_ID', 'Aadhaar: 9499 2135 5776'), []);
    assert.deepEqual(only('NATIONAL_ID', 'CPF 372.240.328-68'), []);
    assert.deepEqual(only('NATIONAL_ID', 'PESEL: 88061454728'), []);
  });

  it("drivers' licences and passports: record keys, dashed state formats, DVLA numbers, list items under a passport heading", () => {
    assert.deepEqual(only('DRIVERS_LICENSE', 'doc_type=drivers_license license_number=WDL5CWCE6URB state=WA'), ['DRIVERS_LICENSE:WDL5CWCE6URB']);
    assert.deepEqual(only('DRIVERS_LICENSE', 'my Florida license W052-275-44-311-4 was used'), ['DRIVERS_LICENSE:W052-275-44-311-4']);
    assert.deepEqual(only('DRIVERS_LICENSE', 'your licence number KAMAU861237WN9FH — bring it'), ['DRIVERS_LICENSE:KAMAU861237WN9FH']);
    assert.deepEqual(only('DRIVERS_LICENSE', "my driver's license. The number was N0143279, issued"), ['DRIVERS_LICENSE:N0143279']);
    assert.deepEqual(only('DRIVERS_LICENSE', "driver's licence 089 255 388 (New York)"), ['DRIVERS_LICENSE:089 255 388']);
    assert.deepEqual(only('PASSPORT', '{"traveller":"Goh Wei Ming","passport_no":"778124538"}'), ['PASSPORT:778124538']);
    assert.deepEqual(only('PASSPORT', 'Passport copies:\n- Rajiv Menon: N6167021\n- Sunita Menon: S4340454\n'), ['PASSPORT:N6167021', 'PASSPORT:S4340454']);
    // Hard negatives: software licences, list items with no passport heading.
    assert.deepEqual(only('DRIVERS_LICENSE', 'the MIT license ABCD-1234-EF56-7890 key'), []);
    assert.deepEqual(only('DRIVERS_LICENSE', 'software license number LIC-2024-00042'), []);
    assert.deepEqual(only('PASSPORT', 'Order lines:\n- Widget: AB123456\n'), []);
  });

  it('secrets: connection strings whole, passwords in sentences in many languages, connect calls, address / password', () => {
    assert.deepEqual(found('MONGO_URI=mongodb+srv://admin:oM6RU2*hhTfppQ@cluster0.example.mongodb.net/prod'), ['SECRET:mongodb+srv://admin:oM6RU2*hhTfppQ@cluster0.example.mongodb.net/prod']);
    assert.deepEqual(found('Ton mot de passe temporaire est Glacier@511tundra?, il expire'), ['SECRET:Glacier@511tundra?']);
    assert.deepEqual(found('hasło do wspólnego konta to iFhhKt=%nELt5$H — nie'), ['SECRET:iFhhKt=%nELt5$H']);
    assert.deepEqual(found('sunucu şifresi TSFB265ulhv#14, giriş'), ['SECRET:TSFB265ulhv#14']);
    assert.deepEqual(found('password for the test account is Meadow&5522glacier# (rotate)'), ['SECRET:Meadow&5522glacier#']);
    assert.deepEqual(found('pass: BCQQ585vrki!57'), ['SECRET:BCQQ585vrki!57']);
    assert.deepEqual(found('$conn = new mysqli("localhost", "wp_user", "hX+HmGRZ2XsTS", "wordpress");'), ['SECRET:hX+HmGRZ2XsTS']);
    assert.deepEqual(only('SECRET', 'login: family.account@example.com / mzf3ATN+e-Y=2%P'), ['SECRET:mzf3ATN+e-Y=2%P']);
    assert.deepEqual(only('SECRET', 'Het wachtwoord van esther.h@example.net is gereset naar orbit62Marble#; wijzig het'), ['SECRET:orbit62Marble#']);
    assert.deepEqual(only('SECRET', 'Der API-Schlüssel tg_live_na8rlntxe8mmcc8wfufqjpqf140j0shw ist verfallen'), ['SECRET:tg_live_na8rlntxe8mmcc8wfufqjpqf140j0shw']);
    assert.deepEqual(only('PHONE', 'She can be contacted on 07700900687 after six.'), ['PHONE:07700900687']);
    assert.deepEqual(only('PHONE', "mon nouveau numéro c'est le 06 39 98 01 52, efface l'ancien"), ['PHONE:06 39 98 01 52']);
    assert.deepEqual(only('PHONE', 'her passport number 527460524 and the licence number 31759913'), []);
    // Hard negatives: placeholders, an account named after "password for", a URL with no password, scp remotes.
    assert.deepEqual(found('postgres://user:${DB_PASSWORD}@db.internal/app'), []);
    assert.deepEqual(found('asking to reset the password for mkeller@example.io.'), ['EMAIL:mkeller@example.io']);
    assert.deepEqual(found('see https://example.com/docs and the password policy'), []);
    assert.deepEqual(found('git clone git@github.com:example-org/widgets.git'), []);
  });

  it('IP addresses: not subnet masks or networks before a prefix length; "server" is not "ver"', () => {
    assert.deepEqual(found('Set the subnet mask to 255.255.255.0 and 255.255.240.0'), []);
    assert.deepEqual(found('The range 10.0.0.0/8 is private'), []);
    assert.deepEqual(found('server 192.0.2.10 is down'), ['IP_ADDRESS:192.0.2.10']);
  });

  it('street addresses: no street-type suffix, other countries, lower case', () => {
    assert.deepEqual(only('ADDRESS', 'mrs siobhan o\'leary 12 kingfisher close bristol bs16 4gh'), ['ADDRESS:12 kingfisher close bristol bs16 4gh']);
    assert.deepEqual(only('ADDRESS', '2/14 Brunswick Street, Fitzroy VIC 3065\nAustralia'), ['ADDRESS:2/14 Brunswick Street, Fitzroy VIC 3065']);
    assert.deepEqual(only('ADDRESS', 'ship to 1457 Kingsway, Vancouver, BC V5N 2S2 but'), ['ADDRESS:1457 Kingsway, Vancouver, BC V5N 2S2']);
    assert.deepEqual(only('ADDRESS', 'CALLE DE ALCALÁ 128, 3º IZQ\n28009 MADRID\nSPAIN'), ['ADDRESS:CALLE DE ALCALÁ 128, 3º IZQ\n28009 MADRID']);
    assert.deepEqual(only('ADDRESS', '"Av. Afonso Pena, 3000, Funcionários, Belo Horizonte - MG, 30130-009"'), ['ADDRESS:Av. Afonso Pena, 3000, Funcionários, Belo Horizonte - MG, 30130-009']);
    assert.deepEqual(only('ADDRESS', 'Current address: B-42, Sector 15, Noida, Uttar Pradesh 201301'), ['ADDRESS:B-42, Sector 15, Noida, Uttar Pradesh 201301']);
    assert.deepEqual(only('ADDRESS', 'Storgatan 8B, 411 38 Göteborg.'), ['ADDRESS:Storgatan 8B, 411 38 Göteborg']);
    assert.deepEqual(only('ADDRESS', 'Berliner Str. 112, 60311 Frankfurt am Main.'), ['ADDRESS:Berliner Str. 112, 60311 Frankfurt am Main']);
    assert.deepEqual(only('ADDRESS', 'Bergweg 76B, 3036 BC Rotterdam.'), ['ADDRESS:Bergweg 76B, 3036 BC Rotterdam']);
    assert.deepEqual(only('ADDRESS', 'Our address is 9 Heol y Parc, Cardiff CF14 3AB.'), ['ADDRESS:9 Heol y Parc, Cardiff CF14 3AB']);
    // Hard negatives: famous addresses in knowledge questions, lower-case prose with a number, a sector alone.
    assert.deepEqual(only('ADDRESS', 'Who lives at 10 Downing Street, and since when?'), []);
    assert.deepEqual(only('ADDRESS', 'we walked 12 long miles down the road today'), []);
    assert.deepEqual(only('ADDRESS', 'Sector 15 grew 4% in Q3'), []);
  });

  it('dates of birth: more cue shapes (place between, "ist", Polish, 1er, dd-Mon-yyyy) and keys/columns with a prefix', () => {
    assert.deepEqual(only('DATE_OF_BIRTH', 'sono nato a Bari il 03/05/1987'), ['DATE_OF_BIRTH:03/05/1987']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'nací el 14/02/1999 en Sevilla'), ['DATE_OF_BIRTH:14/02/1999']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'je suis née le 1er mars 1975'), ['DATE_OF_BIRTH:1er mars 1975']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'córka urodziła się 9 października 2019'), ['DATE_OF_BIRTH:9 października 2019']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'mein Geburtsdatum, ist 21.08.1979'), ['DATE_OF_BIRTH:21.08.1979']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'DOB 17-Mar-1962'), ['DATE_OF_BIRTH:17-Mar-1962']);
    assert.deepEqual(only('DATE_OF_BIRTH', '{"fecha_nacimiento":"1970-06-30"}'), ['DATE_OF_BIRTH:1970-06-30']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'id,child,child_dob\n1,Ola,2016-04-09'), ['DATE_OF_BIRTH:2016-04-09']);
    assert.deepEqual(only('DATE_OF_BIRTH', '氏名,生年月日\n森田 花子,1983/07/21'), ['DATE_OF_BIRTH:1983/07/21']);
    // Hard negatives: other dates, a column that is not a birth date.
    assert.deepEqual(only('DATE_OF_BIRTH', 'the lease starts 01/09/2024 and none since 2020'), []);
    assert.deepEqual(only('DATE_OF_BIRTH', 'id,start_date\n1,2016-04-09'), []);
  });
});
