/*
 * Model answers for the stream hold-back tests (stream-open-tails.test.ts, stream-hold-back-gateway.test.ts):
 * values that span several words, each in a sentence that goes on after it.
 */

/** Answers holding a street address, in the shapes the detector knows, and the address. */
export const addressAnswers: ReadonlyArray<readonly [text: string, address: string]> = [
  ['Please send it to 1187 Larkspur Avenue, Apt 5C, Boulder, CO 80302 by Friday.', '1187 Larkspur Avenue, Apt 5C, Boulder, CO 80302'],
  ['Deliver to 27 Wellington Road, Leeds LS6 2DT tomorrow.', '27 Wellington Road, Leeds LS6 2DT'],
  ['Ship to 450 Maple Crescent, Ottawa, ON K1N 6N5 today.', '450 Maple Crescent, Ottawa, ON K1N 6N5'],
  ['Our office is at 12 Brunswick Street, Fitzroy VIC 3065 now.', '12 Brunswick Street, Fitzroy VIC 3065'],
  ['Write to 8 Harcourt Terrace, Dublin D02 XY45 please.', '8 Harcourt Terrace, Dublin D02 XY45'],
  ['Book a cab to 210 Broadway, Nashville, TN 37203 after lunch.', '210 Broadway, Nashville, TN 37203'],
  ['Address:\n742 Larch Street\nPortland, OR 97205\nThanks', '742 Larch Street\nPortland, OR 97205'],
  ['Die Adresse ist Lindenstraße 14, 10969 Berlin und die Klingel geht.', 'Lindenstraße 14, 10969 Berlin'],
  ['Wir sitzen in der Hamburger Str. 45, 22083 Hamburg seit Mai.', 'Hamburger Str. 45, 22083 Hamburg'],
  ['Lieferung an Am Mühlenweg 3b, 01309 Dresden bitte.', 'Am Mühlenweg 3b, 01309 Dresden'],
  ['Het adres is Herengracht 182, 1016 BR Amsterdam voor de post.', 'Herengracht 182, 1016 BR Amsterdam'],
  ['Envoyez-le au 23 rue des Martyrs, 75009 Paris avant lundi.', '23 rue des Martyrs, 75009 Paris'],
  ['Vivo en Calle de Serrano 41, 28001 Madrid desde enero.', 'Calle de Serrano 41, 28001 Madrid'],
  ['Dirección: CALLE MAYOR 12, 2º DCHA\n28013 MADRID', 'CALLE MAYOR 12, 2º DCHA\n28013 MADRID'],
  ['Il negozio è in Via Dante 7, 20123 Milano da anni.', 'Via Dante 7, 20123 Milano'],
  ['Moro na Rua das Flores 52, 1200-195 Lisboa há dez anos.', 'Rua das Flores 52, 1200-195 Lisboa'],
  ['Biuro: ul. Nowy Świat 33 m. 4, 00-029 Warszawa, zapraszamy.', 'ul. Nowy Świat 33 m. 4, 00-029 Warszawa'],
  ['Kontoret ligger på Drottninggatan 55, 111 21 Stockholm sedan länge.', 'Drottninggatan 55, 111 21 Stockholm'],
  ['Endereço: Rua Oscar Freire 900, apto 31, Jardins, São Paulo - SP, 01426-001.', 'Rua Oscar Freire 900, apto 31, Jardins, São Paulo - SP, 01426-001'],
  ['Anfonwch at 14 Heol y Bont, Caerdydd CF10 1AB os gwelwch yn dda.', '14 Heol y Bont, Caerdydd CF10 1AB'],
  ['Current address: C-17, Sector 62, Noida, Uttar Pradesh 201309.', 'C-17, Sector 62, Noida, Uttar Pradesh 201309'],
  ['send it to 44 primrose close bath ba2 3xy thanks', '44 primrose close bath ba2 3xy'],
  ['{"name": "x", "address": "Kastanienallee 9, 10435 Berlin", "ok": true}', 'Kastanienallee 9, 10435 Berlin'],
];

/** Answers holding a value written or read out in words, and its label. */
export const wordedAnswers: ReadonlyArray<readonly [text: string, label: string]> = [
  ['write to maria dot lopez at example dot org about it', 'EMAIL'],
  ['my address is lena [at] example [dot] de ok', 'EMAIL'],
  ['reach t_okafor at example dot co dot uk soon', 'EMAIL'],
  ['fecha de nacimiento: 12 de marzo de 1985, gracias', 'DATE_OF_BIRTH'],
  ['née le 1er avril 1990 à Lyon', 'DATE_OF_BIRTH'],
  ['geboren am 4. März 1950 in Köln', 'DATE_OF_BIRTH'],
  ['DOB: August 4, 1950 on file', 'DATE_OF_BIRTH'],
  ['date of birth caller: second of june eighty four thanks', 'DATE_OF_BIRTH'],
  ['he was born on the fourteenth of february nineteen fifty two in leeds', 'DATE_OF_BIRTH'],
  ['call me on oh seven seven double oh nine one two three four five six please', 'PHONE'],
  ['my card number is four one one one one one one one one one one one one one one one thanks', 'CREDIT_CARD'],
  ['my social security number is five two three four five six seven eight nine ok', 'SSN'],
];
