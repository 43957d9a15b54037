/**
 * Given names the npm lists that given-names.ts reads lack (African, South and East Asian, Persian,
 * Dutch, Nordic, Portuguese, accented Spanish and French forms), written for Tollgate.
 */
export const ownGivenNames = `
abebe abena achieng adebayo adeola adrián afonso agnès akosua amélie anaïs andrée andrés
ankit antónio ashok ayodele babak babatunde baljit begoña benoît bola chiamaka chidi chidinma
chinedu chukwuemeka clément cécile daan daiki dariush dawit deepa dinesh dongwoo efua emeka esi
eunji fang farhad farzaneh femke feng freja gaurav gaëlle ghada gijs giorgos gonçalo grzegorz
haoran haruto hiroshi hoa hua hui huong hyejin hyun hélène ifeanyi ikechukwu inés inês itai
iván jaehyun jeroen jesús jiho jihoon jisoo jiwoo jiří joost joris josée joão juha juma
jérôme kaveh kavita kees kojo kwesi letícia loïc lucía léa maarten madhu manish marieke
martín maría mathéo maëlle małgorzata mees mette michał mikko minji minjun mónica naguib
naoko nasrin navdeep ngozi ning njeri nnamdi núria obinna olu oluwadamilare oluwaseun ondřej
otieno prakash päivi qiang qing rajesh rakesh ramesh rasmus raúl riko rin rocío ruud sachin
satoshi satu sebastião selam seojun seoyeon seun shankar shota shu sindre sofía soyeon srinivas
stijn sungmin suresh swati sönke søren takashi tanvi tesfaye théo tomoko trang trine tunde
tuomas tuyet uchenna usha valérie vinod vitória wanjiku wanjiru wen wouter xiaoling xiaoming xue
yaw younghee yuko zhen zhi zhiwei zihan zuri álvaro élodie łukasz`;
