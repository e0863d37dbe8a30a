"""The coverage table: every class of birth place the vocabulary can express, crossed with every era the
statutes distinguish for it. Each cell names the rules that decide it, or the law that is not encoded.

Data only: `coverage.py` turns the `not encoded` cells into the rule `birth_law_not_encoded`, which keeps
`not_citizen` from being concluded for them, and `render_coverage` draws the chart in docs/coverage.md.

An era is [start, end): `start` and `end` are parameter names (params/*.yaml; `name@reading` picks one
reading of a contested parameter), None for an open end. A cell's `gap` names, by key in coverage.GAPS,
a condition under which the cell is still not encoded although rules exist (e.g. the Puerto Rico births of
1899-1941 whose residence on 1941-01-13 is not shown); `law` names what is missing; `contested` names the rule
that says the cell turns on a dispute between authorities even with every other route closed.
"""

from __future__ import annotations

# Era boundaries (parameter names).
T_1868 = "territories.fourteenth_amendment"
T_1899 = "territories.treaty_of_paris"
T_1900 = "territories.american_samoa_acquired"
T_1904 = "territories.canal_zone_start"
T_1917 = "territories.virgin_islands_acquired"
T_1925 = "territories.swains_island_acquired"
T_1927 = "territories.virgin_islands_citizenship_act"
T_1934 = "acquisition.act_1934_effective"
T_1941 = "territories.nationality_act_1940_births"             # 1941-01-13 (8 FAM, USCIS)
T_1941_ILRC = "territories.nationality_act_1940_births@ilrc_chart"  # 1941-01-14 (ILRC chart)
T_1941_PR = "territories.nationality_act_1940"                  # INA 302 names 1941-01-13 itself
T_1946 = "territories.philippine_independence"
T_1950 = "territories.guam_organic_act"
T_1952 = "territories.ina_effective"
T_1979 = "territories.canal_zone_end"
T_1978 = "territories.covenant_501_effective"
T_CNMI = "territories.cnmi_becomes_us"
T_1986 = "acquisition.ina_1986_amendments"
T_2017 = "acquisition.morales_santana_decided"

# Places: key -> (label, birth_place codes). `foreign` is every code not listed here.
PLACES = {
    "states_dc": ("50 states and DC (with Alaska and Hawaii, also before statehood)", ("US",)),
    "puerto_rico": ("Puerto Rico", ("PR",)),
    "guam": ("Guam", ("GU",)),
    "virgin_islands": ("U.S. Virgin Islands", ("VI",)),
    "northern_mariana_islands": ("Northern Mariana Islands (Trust Territory before 1986-11-04)", ("MP",)),
    "american_samoa": ("American Samoa, Swains Island included (ISO 3166 AS)", ("AS",)),
    "minor_outlying_islands": ("U.S. Minor Outlying Islands (Baker, Howland, Jarvis, Johnston, Kingman, Midway, "
                               "Navassa, Palmyra, Wake)", ("UM",)),
    "canal_zone": ("Panama Canal Zone (former)", ("PZ",)),
    "panama": ("Republic of Panama", ("PA",)),
    "philippines": ("Philippines (a U.S. possession 1899-04-11 to 1946-07-03)", ("PH",)),
    "foreign": ("Any other country", ()),
}

# Rules of acquisition at birth abroad, by the era of the birth (acquisition*.py), with the chart's label.
ABROAD_RULES = [
    (None, T_1934, "R.S. 1993; INA 301(h)", ("citizen_abroad_rs_1993_through_father", "citizen_abroad_ina_301h",
                    "citizen_abroad_out_of_wedlock_father_before_1934", "citizen_abroad_out_of_wedlock_ina_301h",
                    "citizen_abroad_out_of_wedlock_before_1934_na_205")),
    (T_1934, T_1941, "Act of 1934",
     ("citizen_abroad_on_1934_act_day", "citizen_abroad_1934_act_both_parents_citizens",
                      "citizen_abroad_1934_act_one_citizen_parent", "citizen_abroad_out_of_wedlock_father_1934_act",
                      "citizen_abroad_out_of_wedlock_mother_1934_1952")),
    (T_1941, T_1941_ILRC, "1941-01-13: contested",
     ("citizen_abroad_na_201c", "citizen_abroad_na_201d", "citizen_abroad_na_201g",
                           "citizen_abroad_out_of_wedlock_father_1941_1952",
                           "citizen_abroad_out_of_wedlock_mother_1934_1952", "birth_turns_on_1941_start_dispute")),
    (T_1941_ILRC, T_1952, "NA 1940 §201",
     ("citizen_abroad_na_201c", "citizen_abroad_na_201d", "citizen_abroad_na_201g",
                           "citizen_abroad_out_of_wedlock_father_1941_1952",
                           "citizen_abroad_out_of_wedlock_mother_1934_1952")),
    (T_1952, T_1986, "INA 301(a)(7), 309",
     ("citizen_abroad_ina_301c", "citizen_abroad_ina_301d", "citizen_abroad_ina_301g_before_1986",
                      "citizen_abroad_out_of_wedlock_father_old_309a", "citizen_abroad_out_of_wedlock_ina_309c",
                      "national_abroad_ina_308_2", "national_abroad_ina_308_4")),
    (T_1986, T_2017, "INA 301(g), 309(a)",
     ("citizen_abroad_ina_301c", "citizen_abroad_ina_301d", "citizen_abroad_ina_301g",
                      "citizen_abroad_out_of_wedlock_father_new_309a", "citizen_abroad_out_of_wedlock_ina_309c",
                      "national_abroad_ina_308_2", "national_abroad_ina_308_4")),
    (T_2017, None, "INA 301(g), 309",
     ("citizen_abroad_ina_301c", "citizen_abroad_ina_301d", "citizen_abroad_ina_301g",
                    "citizen_abroad_out_of_wedlock_father_new_309a",
                    "citizen_abroad_out_of_wedlock_mother_after_morales_santana",
                    "national_abroad_ina_308_2", "national_abroad_ina_308_4")),
]
# Routes after birth, open to a person born abroad in every era (derivation.py, naturalization.py).
AFTER_BIRTH_ABROAD = ("derivation routes (derivation.py)", "citizen_by_naturalization")
# Open to a person born anywhere before 1986-11-04: Covenant §301(b) (a Trust Territory citizen) and (c) (anyone
# domiciled in the Northern Mariana Islands since before 1974), by domicile there on 1986-11-03.
COVENANT_ANYWHERE = ("citizen_by_covenant_301", "covenant_301b_turns_on_voting_age")

NOT_ALIVE = "no person born then is alive on a date this screening speaks for"

# The cells of every place that is not a birth abroad. Abroad-type spans are expanded in coverage.py
# with ABROAD_RULES (`abroad: True`), plus `rules` of the place.
CELLS = [
    {"place": "states_dc", "label": "14th Amendment; INA 301(a)", "start": None, "end": None,
     "rules": ("citizen_by_birth_in_states",),
     "note": "14th Amendment, INA 301(a). Alaska (INA 304) and Hawaii (INA 305) births are 'US' in the vocabulary; "
             "every person born there who is alive is a citizen, but `since` is the birth date even where INA 304 "
             "or the Indian Citizenship Act made a tribal member a citizen only on 1924-06-02."},
    # ---- Puerto Rico ----
    {"place": "puerto_rico", "start": None, "end": T_1899, "rules": (),
     "law": "births in Puerto Rico before 1899-04-11: Treaty of Paris art. 9, Foraker Act §7 and Jones Act §5 "
            "(1917) classes — " + NOT_ALIVE},
    {"place": "puerto_rico", "label": "INA 302 (resident 1941-01-13)", "start": T_1899, "end": T_1941_PR,
     "rules": ("citizen_by_birth_in_puerto_rico",),
     "gap": "pr_residence_not_shown",
     "law": "Puerto Rico births 1899-04-11 to 1941-01-12 not residing in U.S. territory on 1941-01-13: Jones Act "
            "§5 (1917) and the Act of June 27, 1934 (48 U.S.C. 733a) are not encoded",
     "note": "INA 302: a citizen as of 1941-01-13 if residing in Puerto Rico or other U.S. territory that day."},
    {"place": "puerto_rico", "label": "INA 302", "start": T_1941_PR, "end": None,
     "rules": ("citizen_by_birth_in_puerto_rico",),
     "note": "INA 302 (the statute itself names 1941-01-13); INA 301(a) from 1952-12-24."},
    # ---- Guam ----
    {"place": "guam", "start": None, "end": T_1899, "rules": (),
     "law": "births in Guam before 1899-04-11: INA 307(a)(1)-(2) (inhabitants on 1899-04-11) — " + NOT_ALIVE},
    {"place": "guam", "label": "INA 307(b), from 1950-08-01", "start": T_1899, "end": T_1941,
     "rules": ("citizen_by_birth_in_guam",),
     "gap": "guam_kept_nationality_citizen_parent",
     "law": "Guam births before 1941-01-13 of a person who kept a foreign nationality, to a citizen parent: "
            "R.S. 1993 and the 1934 Act as applied to a possession are not encoded",
     "note": "INA 307(b): a citizen as of 1950-08-01 unless the person kept or acquired a foreign nationality."},
    {"place": "guam", "label": "NA §201(e); INA 307", "start": T_1941, "end": T_1950,
     "rules": ("citizen_by_birth_in_outlying_possession_na_1940", "citizen_by_birth_in_guam"),
     "note": "NA 1940 §201(e) (citizen parent who resided in the U.S. or an outlying possession: at birth); "
             "otherwise INA 307(b) from 1950-08-01."},
    {"place": "guam", "label": "Organic Act; INA 307", "start": T_1950, "end": T_1952,
     "rules": ("citizen_by_birth_in_guam", "citizen_by_birth_in_outlying_possession_na_1940"),
     "note": "Organic Act of Guam (1950), INA 307(b)."},
    {"place": "guam", "label": "INA 307; 301(a)", "start": T_1952, "end": None,
     "rules": ("citizen_by_birth_in_guam",),
     "note": "INA 307(b); INA 101(a)(38), 301(a)."},
    # ---- U.S. Virgin Islands ----
    {"place": "virgin_islands", "start": None, "end": T_1917, "rules": (),
     "law": "births in the Virgin Islands before 1917-01-17: INA 306(a)(1)-(4) (Danish citizens and natives, by "
            "residence on 1917-01-17, 1927-02-25 and 1932-06-28) are not encoded"},
    {"place": "virgin_islands", "label": "INA 306(b), from 1927-02-25", "start": T_1917, "end": T_1927,
     "rules": ("citizen_by_birth_in_virgin_islands",),
     "note": "INA 306(b): a citizen as of 1927-02-25."},
    {"place": "virgin_islands", "label": "INA 306(b)", "start": T_1927, "end": T_1941,
     "rules": ("citizen_by_birth_in_virgin_islands",),
     "note": "Act of 1927; INA 306(b): a citizen at birth."},
    {"place": "virgin_islands", "label": "NA §101(d); INA 306(b)", "start": T_1941, "end": T_1952,
     "rules": ("citizen_by_birth_in_virgin_islands",),
     "note": "NA 1940 §101(d), §201(a); INA 306(b): a citizen at birth."},
    {"place": "virgin_islands", "label": "INA 301(a), 306(b)", "start": T_1952, "end": None,
     "rules": ("citizen_by_birth_in_virgin_islands",),
     "note": "INA 101(a)(38), 301(a), 306(b)."},
    # ---- Northern Mariana Islands ----
    {"place": "northern_mariana_islands", "label": "Covenant §301, §302", "start": None, "end": T_1978, "abroad": True,
     "rules": ("citizen_by_covenant_301", "national_by_covenant_302"),
     "note": "A birth abroad (8 FAM 302.6-1(d)): INA 301/309 and earlier acts through a parent; Covenant §301(a)-"
             "(c) as of 1986-11-04; §302 nationals."},
    {"place": "northern_mariana_islands", "label": "Sabangan (contested); Covenant §301", "start": T_1978,
     "end": T_CNMI, "abroad": True, "contested": "cnmi_birth_turns_on_sabangan",
     "rules": ("citizen_by_birth_in_cnmi", "cnmi_birth_turns_on_sabangan", "citizen_by_covenant_301",
               "national_by_covenant_302"),
     "note": "Sabangan v. Powell, 375 F.3d 818 (9th Cir. 2004): a citizen at birth (Covenant §501(a), in effect "
             "1978-01-09, applies the Fourteenth Amendment); 8 FAM 302.6 treats the birth as one abroad. With "
             "every other route closed the status is contested, never `not_citizen`."},
    {"place": "northern_mariana_islands", "label": "Covenant §506(b)", "start": T_CNMI, "end": None,
     "rules": ("citizen_by_birth_in_cnmi",),
     "note": "Covenant §506(b); INA 301(a)."},
    # ---- American Samoa, Swains Island included (ISO 3166 has no code of its own for Swains) ----
    {"place": "american_samoa", "start": None, "end": T_1900, "rules": (),
     "law": "births in American Samoa before 1900-02-16 — " + NOT_ALIVE},
    {"place": "american_samoa", "label": "INA 308(1) national", "start": T_1900, "end": T_1925,
     "rules": ("national_by_birth_in_outlying_possession",),
     "note": "INA 308(1): a national. Citizenship through a citizen parent before 1941-01-13 is not encoded: "
             "the status is at least 'national'. A Swains Island birth (entered as AS) before 1925-03-04, when "
             "U.S. sovereignty there began (8 FAM 302.1-1(b)(5)), is read as an American Samoa birth: a national. "
             "Only over-protective: the law of that birth is not encoded, and a national is barred from transfer."},
    {"place": "american_samoa", "label": "INA 308(1) national", "start": T_1925, "end": T_1941,
     "rules": ("national_by_birth_in_outlying_possession",),
     "note": "INA 308(1), retroactive to 1900-02-16 (American Samoa) and 1925-03-04 (Swains Island): a national "
             "(8 FAM 302.5-1(e)). Citizenship through a citizen parent before 1941-01-13 is not encoded: "
             "the status is at least 'national'."},
    {"place": "american_samoa", "label": "NA §201(e); INA 308(1)", "start": T_1941, "end": T_1952,
     "rules": ("citizen_by_birth_in_outlying_possession_na_1940", "national_by_birth_in_outlying_possession"),
     "note": "NA 1940 §201(e); INA 308(1)."},
    {"place": "american_samoa", "label": "INA 301(e); 308(1)", "start": T_1952, "end": None,
     "rules": ("citizen_by_birth_in_outlying_possession", "national_by_birth_in_outlying_possession"),
     "note": "INA 301(e); INA 308(1)."},
    # ---- U.S. Minor Outlying Islands: U.S. territory, but not in the INA's "United States" or "outlying
    # possessions"; no source found (8 FAM 301.1, 302.1, 302.5; 7 FAM 1120) says what a birth there gives ----
    {"place": "minor_outlying_islands", "start": None, "end": None, "abroad": True, "rules": (),
     "law": "births on the U.S. Minor Outlying Islands (ISO 3166 UM: Midway, Wake, Johnston, Palmyra and the "
            "others): neither in the \"United States\" (INA 101(a)(38)) nor an \"outlying possession\" (INA "
            "101(a)(29); 8 FAM 302.5-1(a)); whether such a birth is one in the United States (Palmyra, an "
            "incorporated territory), in an outlying possession of the Nationality Act of 1940 (§101(e)), or "
            "abroad is not settled by the Foreign Affairs Manual, and is not encoded",
     "note": "Not a national by birth there (INA 308(1) reaches only American Samoa and Swains Island). The "
             "routes through a parent for a birth \"outside the United States and its outlying possessions\" "
             "(INA 301(c)-(g), 308(2), 309, and the earlier acts) and derivation apply as to a birth abroad: "
             "they can show a citizen or national, but their failure never shows `not_citizen`."},
    # ---- Canal Zone and Panama (births there are births abroad for INA 301/309 as well) ----
    {"place": "canal_zone", "start": None, "end": T_1904, "abroad": True, "rules": (),
     "note": "Before the Zone existed: a birth in Colombia or Panama."},
    {"place": "canal_zone", "label": "INA 303(a)", "start": T_1904, "end": T_1979, "abroad": True,
     "rules": ("citizen_by_birth_in_canal_zone",),
     "note": "INA 303(a): a citizen father or mother, no residence needed."},
    {"place": "canal_zone", "start": T_1979, "end": None, "abroad": True, "rules": (),
     "note": "The Zone ended on 1979-10-01: a birth in Panama."},
    {"place": "panama", "start": None, "end": T_1904, "abroad": True, "rules": ()},
    {"place": "panama", "label": "INA 303(b)", "start": T_1904, "end": None, "abroad": True,
     "rules": ("citizen_by_birth_in_canal_zone",),
     "note": "INA 303(b): a citizen parent employed by the U.S. government or the Panama Railroad Company."},
    # ---- Philippines ----
    {"place": "philippines", "start": None, "end": T_1899, "abroad": True, "rules": ()},
    {"place": "philippines", "start": T_1899, "end": T_1941, "abroad": True, "rules": (),
     "gap": "citizen_parent_possible",
     "law": "births in the Philippines 1899-04-11 to 1941-01-12 to a citizen parent: R.S. 1993 and the 1934 Act "
            "as applied to a U.S. possession are not encoded",
     "note": "A non-citizen U.S. national until 1946-07-04, when that nationality ended (8 FAM 302.1-1(b)(1))."},
    {"place": "philippines", "label": "NA §201(e)", "start": T_1941, "end": T_1946, "abroad": True,
     "rules": ("citizen_by_birth_in_outlying_possession_na_1940",),
     "note": "An outlying possession: NA 1940 §201(e) (Matter of S-, 4 I&N Dec. 575 (1951))."},
    {"place": "philippines", "start": T_1946, "end": None, "abroad": True, "rules": ()},
    # ---- Every other country ----
    {"place": "foreign", "start": None, "end": None, "abroad": True, "rules": ()},
]
