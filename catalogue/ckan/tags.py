"""CKAN's tag rule, in one place for both routes into a CKAN: our package_show (packages.py) and the ckanext-dcat
profile (profile.py), which runs in CKAN's own virtualenv, so this module imports the standard library only."""

from __future__ import annotations

import re

# A CKAN tag: 2 to 100 characters, each a word character, space, hyphen or dot (ckan/logic/validators.py,
# tag_length_validator and tag_name_validator; ckan/model/tag.py MIN_ and MAX_TAG_LENGTH).
_TAG_CHARACTER = re.compile(r"[\w \-.]")
TAG_MIN, TAG_MAX = 2, 100


def ckan_tag(keyword: str) -> str | None:
    """Return the CKAN tag for `keyword`: "&" as "and", every character CKAN's tag validator refuses dropped,
    spaces collapsed, cut to 100 characters; None if under 2 are left. The keyword itself stays as written
    in the DCAT, on the site and in the `keywords` extra."""
    text = keyword.replace("&", " and ")
    kept = "".join(char if _TAG_CHARACTER.fullmatch(char) else " " if char.isspace() else "" for char in text)
    tag = " ".join(kept.split())[:TAG_MAX].strip()
    return tag if len(tag) >= TAG_MIN else None


def ckan_tags(keywords: list[str]) -> list[str]:
    """Return the CKAN tags of `keywords`, each once, sorted as package_show lists them."""
    return sorted({tag for keyword in keywords if (tag := ckan_tag(keyword))})
