"""Sources a report may link to, and how any other source is shown.

A report links a source only when its host is primary or reputable: the U.S. government (the Federal
Register, the Code, agencies, GAO), courts and court-filing archives, foreign governments, major
newspapers, wire services and broadcasters, and research institutes. Any other address (aggregators,
mirrors, reprints) is shown as text, marked "unconfirmed — secondary source", and not linked: the
figure it supports is only as good as that copy. The list is kept here, in the repository
(docs/law/README.md explains it); tests/test_sources.py checks every bundled report against it.
"""

from __future__ import annotations

from urllib.parse import urlparse

from safeguard.render.page import Markup, esc

PRIMARY_HOSTS = (
    # U.S. law and government
    "federalregister.gov", "govinfo.gov", "gpo.gov", "uscode.house.gov", "ecfr.gov", "congress.gov",
    "law.cornell.edu", "uscis.gov", "state.gov", "justice.gov", "bop.gov", "ice.gov", "dhs.gov", "gao.gov",
    "ojp.gov", "bjs.ojp.gov", "whitehouse.gov", "cbp.gov", "usembassy.gov", "defense.gov", "treasury.gov",
    # courts and court filings
    "supremecourt.gov", "supreme.justia.com", "courtlistener.com", "uscourts.gov", "clearinghouse.net",
    "assets.documentcloud.org", "democracyforward.org", "aclu.org",
    # wire services, major newspapers and broadcasters
    "reuters.com", "pictures.reuters.com", "apnews.com", "nytimes.com", "washingtonpost.com", "wsj.com",
    "bloomberg.com", "npr.org", "pbs.org", "cnn.com", "cbsnews.com", "nbcnews.com", "nbcboston.com",
    "abcnews.go.com", "bbc.com", "bbc.co.uk", "theguardian.com", "ft.com", "latimes.com", "marketplace.org",
    "elfaro.net", "laprensagrafica.com", "vrt.be", "elpais.com", "notus.org", "propublica.org",
    # research institutes and human-rights monitors
    "vera.org", "hrw.org", "amnesty.org", "tracreports.org", "migrationpolicy.org", "prisonstudies.org",
    "cristosal.org", "aila.org", "supportkind.org",
)
UNCONFIRMED = "unconfirmed — secondary source"


def host(url: str) -> str:
    return (urlparse(url).hostname or "").lower().removeprefix("www.")


def is_primary(url: str) -> bool:
    """The address is on a primary or reputable host (or a subdomain of one)."""
    h = host(url)
    return urlparse(url).scheme in ("http", "https") and any(h == p or h.endswith("." + p) for p in PRIMARY_HOSTS)


def source_link(url: str | None, text: str | None = None) -> Markup:
    """A link to a primary source; any other source as marked text, without a link."""
    if not url:
        return Markup(esc(text))
    if is_primary(url):
        return Markup(f'<a href="{esc(url)}">{esc(text or url)}</a>')
    return Markup(f'<span class="unconfirmed" title="{esc(UNCONFIRMED)}"><em>{esc(UNCONFIRMED)} '
                  f"({esc(host(url))})</em>: <code>{esc(url)}</code></span>")
