"""What every page's footer states about the registry: the licence of its records, when the site was built and
when the records last changed, and whom to contact with a question or feedback.

The facts come from the catalogue record (metadata/catalogue.yaml) through the validated Registry, never from the
theme's settings, so a deployment that changes its licence or contact changes every page. They are rendered here,
through the site's one autoescaped environment (render.py), and reach the theme's footer partial
(site/overrides/partials/copyright.html) as finished HTML: the theme's own templates do not escape.

A dataset page's footer gives the date its own record last changed, not the catalogue's: the catalogue's date
moves with any record's edit (the first of each day), and a page that showed it would be a different page after
every such edit, so an incremental build (reuse.py) had to render all 10,000 of them again for one changed record.
The record's date is as true for that page and changes only with what the page shows.
"""

from __future__ import annotations

from markupsafe import Markup

from catalogue.records import vocabularies
from catalogue.records.registry import Registry
from catalogue.site.render import render


def footer_html(registry: Registry, built: str, dataset_id: str | None = None) -> Markup:
    """The footer's facts for `registry` built on `built` (YYYY-MM-DD, the SiteBuild's date), as HTML (every
    value escaped); on the page of dataset `dataset_id`, with that record's last change instead of the catalogue's."""
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
            records_changed=registry.catalogue_modified()[:10] if dataset_id is None else None,
            record_changed=registry.modified(dataset_id)[:10] if dataset_id is not None else None,
            contact_name=contact.name,
            contact_href=contact_href,
        )
    )
