"""Where the person was born, sorted into the classes the nationality law distinguishes."""

from safeguard.engine.expr import exclusive
from safeguard.engine.rules import rule
from safeguard.law.sources import INA_101_A_38, INA_303, INA_308, TRUST_TERRITORY
from safeguard.law.vocabulary import OUTLYING_POSSESSIONS, US_PLACES, US_TERRITORIES_IN_US, F, param


@rule(INA_101_A_38)
def born_in_states_or_dc():
    """Born in one of the 50 states or the District of Columbia."""
    return F.birth_place == "US"


@rule(TRUST_TERRITORY)
def born_in_trust_territory():
    """Born in the Northern Mariana Islands before 1986-11-04 (Saipan date), when they were not part of the
    United States (the Trust Territory of the Pacific Islands from 1947, earlier a foreign mandate): a birth
    abroad for INA 301, 309, 320 and 321 (8 FAM 302.6-1(d))."""
    return (F.birth_place == "MP") & (F.birth_date < param("territories.cnmi_becomes_us"))


@rule(INA_101_A_38)
def born_in_us_territory():
    """Born in Puerto Rico, Guam, the U.S. Virgin Islands, or the Northern Mariana Islands from 1986-11-04."""
    return F.birth_place.is_in(US_TERRITORIES_IN_US) & ~born_in_trust_territory


@rule(INA_308)
def born_in_outlying_possession():
    """Born in American Samoa or Swains Island (entered as AS): an outlying possession, INA 101(a)(29)."""
    return F.birth_place.is_in(OUTLYING_POSSESSIONS)


@rule(INA_303)
def born_in_canal_zone():
    """Born in the former Panama Canal Zone."""
    return F.birth_place == "PZ"


@rule(INA_101_A_38)
def born_abroad():
    """Born in a foreign country (outside the United States, its territories and possessions), or in the
    Trust Territory of the Pacific Islands: the Northern Mariana Islands before 1986-11-04."""
    return ~F.birth_place.is_in(US_PLACES) | born_in_trust_territory


@rule(INA_101_A_38)
def place_of_birth_class():
    """The one class the place of birth falls in; two classes at once would be an encoding error."""
    return exclusive(
        states_or_dc=born_in_states_or_dc,
        us_territory=born_in_us_territory,
        outlying_possession=born_in_outlying_possession,
        canal_zone=born_in_canal_zone,
        abroad=born_abroad,
    )
