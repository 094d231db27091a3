"""What every page's footer states about the registry: the licence of its records, when the site was built and
when the records last changed, and whom to contact with a question or feedback.

The facts come from the catalogue record (metadata/catalogue.yaml) through the validated Registry, never from the
theme's settings, so a deployment that changes its licence or contact changes every page. They are rendered here,
through the site's one autoescaped environment (render.py), and reach the theme's footer partial
(site/overrides/partials/copyright.html) as finished HTML: the theme's own templates do not escape.
"""

from __future__ import annotations

from markupsafe import Markup

from catalogue.records import vocabularies
from catalogue.records.registry import Registry
from catalogue.site.render import render


def footer_html(registry: Registry, built: str) -> Markup:
    """The footer's facts for `registry` built on `built` (YYYY-MM-DD, the SiteBuild's date), as HTML (every
    value escaped)."""
    catalogue = registry.catalogue
    licence = vocabularies.LICENCES[catalogue.licence]
    contact = catalogue.contact
    contact_href = f"mailto:{contact.email}" if contact.email else contact.url
    return Markup(
        render(
            "footer.html",
            title=catalogue.title,
            licence=licence.label,
            licence_url=licence.uri,
            built=built,
            records_changed=registry.catalogue_modified()[:10],
            contact_name=contact.name,
            contact_href=contact_href,
        )
    )
