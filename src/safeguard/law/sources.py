"""Citations shared by several rules: provision, pinpoint, and a source a reader can open.

URLs are the sources listed in shared/law/REFERENCE.md §9 (copied here; the project does not read
shared/ at run time). Prefer official pages; where REFERENCE used a mirror, the official URL is given.
"""

from safeguard.engine.rules import Citation

USC_1401 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1401&num=0&edition=prelim"
USC_1402 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1402&num=0&edition=prelim"
USC_1403 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1403&num=0&edition=prelim"
USC_1406 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1406&num=0&edition=prelim"
USC_1407 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1407&num=0&edition=prelim"
USC_1408 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1408&num=0&edition=prelim"
USC_1101 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1101&num=0&edition=prelim"
FAM_302_1 = "https://fam.state.gov/fam/08fam/08fam030201.html"
FAM_302_CNMI = "https://fam.state.gov/FAM/08FAM/08FAM030206.html"
FAM_308_8 = "https://fam.state.gov/FAM/08FAM/08FAM030808.html"
CFR_101_3 = "https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-101/section-101.3"
PM_7_O_3 = "https://www.uscis.gov/policy-manual/volume-7-part-o-chapter-3"

CITIZENSHIP_CLAUSE = Citation(
    "U.S. Const. amend. XIV, §1; INA 301(a)", "8 U.S.C. 1401(a)", USC_1401)
INA_101_A_22 = Citation(
    "INA 101(a)(22)", "8 U.S.C. 1101(a)(22): a national is a citizen or a non-citizen owing permanent allegiance",
    USC_1101)
INA_101_A_38 = Citation(
    "INA 101(a)(38)", "8 U.S.C. 1101(a)(38): 'United States' includes PR, Guam, USVI (and the CNMI under "
    "Covenant §506)", USC_1101)
DIPLOMAT_EXCEPTION = Citation(
    "8 CFR 101.3(a)", "child of a foreign diplomatic officer accredited to the U.S.; USCIS PM Vol. 7, Part O, "
    "Ch. 3 (both parents diplomats; a citizen or national parent makes the child a citizen)", CFR_101_3)
INA_301_E = Citation("INA 301(e)", "8 U.S.C. 1401(e)", USC_1401)
INA_301_F = Citation("INA 301(f)", "8 U.S.C. 1401(f)", USC_1401)
INA_302 = Citation("INA 302", "8 U.S.C. 1402; 8 FAM 302.6", USC_1402)
INA_303 = Citation("INA 303", "8 U.S.C. 1403(a)-(b)", USC_1403)
INA_306 = Citation("INA 306; INA 101(a)(38)", "8 U.S.C. 1406; 8 FAM 302.3, 308.8", FAM_308_8)
INA_307 = Citation("INA 307", "8 U.S.C. 1407(a)-(b)", USC_1407)
INA_308 = Citation("INA 308(1)", "8 U.S.C. 1408(1); Fitisemanu v. United States, 1 F.4th 862 (10th Cir. 2021)",
                   USC_1408)
CNMI_COVENANT = Citation("Covenant §506(b), Pub. L. 94-241; INA 101(a)(38)", "48 U.S.C. 1801 note; 8 FAM 302.6",
                         FAM_302_CNMI)
INA_101_A_3 = Citation("INA 101(a)(3)", "8 U.S.C. 1101(a)(3): an alien is any person not a citizen or national",
                       USC_1101)

# ---- territories, every era (issue 14a) ----
USC_1404 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1404&num=0&edition=prelim"
USC_1405 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1405&num=0&edition=prelim"
FAM_301_6 = "https://fam.state.gov/FAM/08FAM/08FAM030106.html"
FAM_302_3 = "https://fam.state.gov/FAM/08FAM/08FAM030203.html"
COVENANT_TEXT = "http://en.wikisource.org/wiki/Page:United_States_Statutes_at_Large_Volume_90_Part_1.djvu/316"

TRUST_TERRITORY = Citation(
    "Covenant §§501, 506, Pub. L. 94-241; INA 101(a)(38)",
    "8 FAM 302.6-1(d): the TTPI was not part of the United States for the INA; persons born there did not acquire "
    "citizenship by birth in the United States", FAM_302_CNMI)
INA_306_B = Citation(
    "INA 306(b)", "8 U.S.C. 1406(b): born in the Virgin Islands on or after 1917-01-17 and before 1927-02-25, subject "
    "to U.S. jurisdiction: citizens as of 1927-02-25; born on or after 1927-02-25: citizens at birth; 8 FAM 302.3, "
    "308.8", USC_1406)
INA_306_A = Citation(
    "INA 306(a)(1)-(4)", "8 U.S.C. 1406(a): former Danish citizens and natives of the Virgin Islands, by residence on "
    "1917-01-17, 1927-02-25 and 1932-06-28; 8 FAM 302.3-1(b)", USC_1406)
NA_201_E = Citation(
    "Nationality Act of 1940 §201(e), §101(e), §205",
    "54 Stat. 1137-1139: born in an outlying possession (Guam, American Samoa, Swains Island, the Philippines before "
    "1946-07-04) of a citizen parent who resided in the U.S. or an outlying possession before the birth; 8 FAM 301.6; "
    "Matter of S-, 4 I&N Dec. 575 (1951)", FAM_301_6)
NA_1940_START = Citation(
    "Nationality Act of 1940 (effective 1941-01-13)", "8 FAM 301.6-1; REFERENCE §7 #3 (ILRC Chart A: 1/14/41)",
    FAM_301_6)
COVENANT_301 = Citation(
    "Covenant §301(a)-(c), Pub. L. 94-241, 90 Stat. 263, 266 (48 U.S.C. 1801 note)",
    "(a) born in the NMI, TTPI citizens on the day before §301 took effect and domiciled then in the NMI or the U.S. "
    "or a U.S. territory or possession; (b) TTPI citizens, wherever born, domiciled in the NMI for the five years "
    "before that day and registered to vote there before 1975 unless under age; (c) domiciled in the NMI on that "
    "day, not TTPI citizens, continuously since before 1974-01-01; 8 FAM 302.6", COVENANT_TEXT)
SABANGAN = Citation(
    "Covenant §501(a), Pub. L. 94-241 (in effect 1978-01-09); U.S. Const. amend. XIV, §1",
    "Sabangan v. Powell, 375 F.3d 818 (9th Cir. 2004): born in the NMI from 1978-01-09 to 1986-11-03, a citizen at "
    "birth; 8 FAM 302.6 treats such a birth as one abroad", "https://case-law.vlex.com/vid/sabangan-v-powell-no-884554232")
COVENANT_302 = Citation(
    "Covenant §302, Pub. L. 94-241", "a person who became a citizen solely by §301 could declare under oath, within "
    "six months (or after turning 18), to be a national but not a citizen", COVENANT_TEXT)
INA_304_305 = Citation(
    "INA 304, 305", "8 U.S.C. 1404 (Alaska, births from 1867-03-30), 1405 (Hawaii, births from 1898-08-12): the "
    "vocabulary's US covers both", USC_1404)
COVERAGE = Citation(
    "INA 101(a)(3); coverage table (safeguard)", "not_citizen only when every route for the person's place and date "
    "of birth is encoded and closed; a place and era whose law is not encoded gives unknown", USC_1101)
