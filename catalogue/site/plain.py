"""Field paths of a record ("distributions[1].format") said in words a reader understands, for "Not confirmed".

Producers name what they could not confirm by its field path; readers of the site do not know the model. The
words come from the model itself: each field's description (the one the schema reference shows), cut to its
first clause, and an item of a list is named by what it is called in the record ("the file 'Data tables'").
A path that names no field of the model is shown as written, since the producer's words are all there is.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from catalogue.records import vocabularies
from catalogue.records.model import Dataset

_SEGMENT = re.compile(r"([A-Za-z_]+)(?:\[(\d+|\*)\])?")
# what one item of each list of a record is, in words
_ITEM_NOUNS = {
    "distributions": "the file or page",
    "figures": "the headline figure",
    "caveats": "the caveat",
    "method_changes": "the method change",
    "breakdowns": "the breakdown",
    "revisions": "the revision",
    "related": "the related record",
    "data_linkage": "the linkage with",
}
# what a whole list or section is, where its description would not read as a name
_SECTION_NAMES = {
    "releases": "Release dates",
    "temporal_coverage": "Periods covered",
    "statistics_status": "Statistics status",
    "qaad": "Quality Assurance of Administrative Data assessment",
    "spatial": "Places covered",
    "landing_page": "The producer's page for the series",
}
# fields whose description is not a name a reader knows
_FIELD_NAMES = {"format": "file type", "media_type": "media type", "available": "the periods it is published for"}


def _clause(description: str) -> str:
    """A field description's first clause, as a name: "Direct link to the file, if stable." -> "direct link
    to the file"."""
    text = re.split(r";|, if |, e\.g\.| \(|, leave out|\. ", description.strip(), maxsplit=1)[0].rstrip(".")
    return text[:1].lower() + text[1:]


def _item_name(field: str, item: Any) -> str:
    """How a list item is called in the record: a title, a label, a dimension or an id."""
    for attribute in ("title", "label", "linked_with", "release", "id"):
        value = getattr(item, attribute, None)
        if isinstance(value, str):
            return f"“{' '.join(value.split())}”"
    dimension = getattr(item, "dimension", None)
    if isinstance(dimension, str):
        return vocabularies.label_of(vocabularies.DIMENSIONS, dimension).lower()
    return ""


def field_words(dataset: Dataset, path: str) -> str:
    """`path` (a field path of `dataset`, as a record's `unknowns` name it) in plain words."""
    segments = [(m[1], m[2]) for m in _SEGMENT.finditer(path)]
    if not segments:
        return path
    words: list[str] = []
    model: type[BaseModel] | None = type(dataset)
    value: Any = dataset
    for depth, (name, index) in enumerate(segments):
        fields = model.model_fields if model else {}
        if name not in fields:
            return path  # not a field of the model: the producer's own words
        info = fields[name]
        value = getattr(value, name, None) if value is not None else None
        if index is not None:
            noun = _ITEM_NOUNS.get(name, _clause(info.description or name))
            if index == "*":
                words.append("each " + noun.removeprefix("the "))
                value = value[0] if value else None
            else:
                item = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
                words.append(f"{noun} {_item_name(name, item)}".strip() if item is not None else noun)
                value = item
        elif depth == 0 and name in _SECTION_NAMES:
            words.append(_SECTION_NAMES[name])
        else:
            words.append(_FIELD_NAMES.get(name) or _clause(info.description or name))
        annotation = info.annotation
        model = _model_in(annotation)
    text = ": ".join(words)
    return text[:1].upper() + text[1:]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class a field holds (directly, in a list, or optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found:
            return found
    return None
