/**
 * Word lists for the person_name detector: cue phrases that announce a name, and capitalised words
 * that are not names (so a cue or a given name next to them is not taken for a person).
 */

const words = (list: string): Set<string> => new Set(list.trim().split(/\s+/));

/** Titles before a name (lower case, no dot); the title is part of the value. */
export const honorifics = words(`
mr mrs ms miss mx dr prof professor sir dame lady lord
herr frau fräulein dipl ing
sr sra srta señor señora señorita don doña dña
m mme mlle monsieur madame mademoiselle
sig sig.ra signor signora signorina dott dott.ssa dottor dottore dottoressa avv ing
dhr mevr mevrouw meneer
`);

/**
 * Capitalised words that are never the first or a later word of a person's name here: function
 * words, greetings' objects, roles, headings' vocabulary. Checked in lower case.
 */
export const notNameWords = words(`
a an the this that these those there here it its it's i i'm we you your our my his her their all any each every
and or but nor so yet if then than as at by for from in into of on onto to with without about after before
nato nata nati nate nacido nacida né née mine
mon tue tues wed thu thur thurs fri sat sun
is are was were be been am do does did have has had will would shall should can could may might must not no yes
hi hello hey dear thanks thank regards best kind warm sincerely cheers love yours damen herren mesdames messieurs
team everyone all colleagues folks guys friends sir madam customer customers client clients user users member
members support service services care sales billing staff management admin administrator hr it finance legal
department office desk center centre help helpdesk team's manager director group company inc ltd llc gmbh ag
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december today tomorrow yesterday
new old next last first final other another same more most less many much some few
please note re fw fwd subject attached attachment see regarding
mr mrs ms dr prof
der die das den dem des ein eine einen und oder mit von zu im am vom zum zur für ihr ihre ihren sie wir
el la los las un una unos y o de del con por para su sus
le les une et ou du des au aux avec pour votre vos nous
il lo gli uno ed con per della dello degli delle suo sua
het een en of van voor met uw
o os um uma e do da dos das com para seu sua
equipe équipe equipo equipa team kundenservice servicio service atención
subscriber subscribers valued reader readers patron patrons resident residents homeowner applicant candidate
reception security facilities courier visitor unknown none tbd pending
shopper guest guests parent parents partner partners colleague friend neighbour neighbor student students
`);

/** Voice assistants that share a given name: "ask Alexa", "tell Siri". */
export const voiceAssistants = new Set(['alexa', 'siri', 'cortana', 'bixby']);

/** Brands written with a title: "Dr. Martens", "Dr Pepper". Title (no dot, lower case) and the next word. */
export const titleBrands = new Set(['dr martens', 'dr pepper', 'dr oetker', 'dr scholl', 'dr scholl’s', 'mr clean', 'mr muscle', 'mr kipling', 'mr sheen', 'mrs baird']);

/** First words of place names built with a particle ("Rio de Janeiro", "São Paulo", "San José"). */
export const placeFirstWords = new Set(['rio', 'são', 'sao', 'san', 'santa', 'santo', 'porto', 'puerto', 'vila', 'villa', 'ciudad', 'cidade', 'monte', 'sankt']);

/** Words before a name that make it someone played or imitated, a public or fictional figure ("act as Sherlock Holmes"). */
export const impersonationBefore = /(?:act(?:ing)? as|pretend(?:ing)? to be|pretend you are|role-?play as|in the style of|impersonat(?:e|ing)|as if you were|channel(?:ling)?)\s+$/iu;

/**
 * Words after a name-like span that make it a place, an organisation or a thing, not a person
 * ("Victoria Station", "Grace Hopper Celebration", "Chase Bank"). Checked in lower case.
 */
export const nonPersonFollowers = words(`
street st road rd avenue ave boulevard blvd lane ln drive dr way court ct place pl square sq terrace
station airport falls memorial aquarium museum gallery park garden gardens bridge tower hall library
university college school academy institute institution tech polytechnic hospital clinic center centre
bank capital financial energy motors motor group holdings partners associates foundation fund trust
society club league association council committee corporation corp company co inc ltd llc plc gmbh ag sa srl bv
celebration conference festival awards award prize lecture lectures fellowship scholarship
hotel resort inn restaurant cafe café coffee kitchen bakery bar pub theatre theater cinema arena stadium
island islands river lake mountain mountains valley bay beach county city state province region
model series edition collection pro max plus mini focus mustang fiesta explorer
robotics labs lab systems solutions technologies technology software industries consulting ventures media studios
studio surgery practice pharmacy medical dental health pharma pharmaceuticals logistics networks analytics dynamics enterprises digital labs aid relief
effect theorem law principle equation paradox problem algorithm distance syndrome disease
mail courier couriers parcels airlines airways
`);

/** Words before a capitalised span that make it a thing ("the Paris Hilton", "a Ford Focus"). */
export const articleBefore = /(?:^|[^\p{L}])(?:the|a|an|der|die|das|el|la|le|il|het)\s+$/iu;
