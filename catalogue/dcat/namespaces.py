"""RDF namespaces and the terms we use from them. Constants only.

DCAT 3, DQV and StatDCAT-AP terms are declared here rather than taken from rdflib.namespace.DCAT,
which is generated from DCAT 2 and lacks (and warns on) DCAT 3 terms.
"""

from __future__ import annotations

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DQV = "http://www.w3.org/ns/dqv#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
ADMS = "http://www.w3.org/ns/adms#"
STAT = "http://data.europa.eu/s1n/"
QB = "http://purl.org/linked-data/cube#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCATAP = "http://data.europa.eu/r5r/"
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"

# Our own terms, only where no standard one exists; documented on the DCAT mapping page.
MSR_PATH = "/ns#"

PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "dqv": DQV,
    "oa": OA,
    "prov": PROV,
    "adms": ADMS,
    "stat": STAT,
    "qb": QB,
    "hydra": HYDRA,
    "dcatap": DCATAP,
}


def expand(curie: str, msr: str) -> str:
    """Return the IRI a `prefix:name` stands for (`msr` is the registry's own namespace); an IRI as is."""
    prefix, _, name = curie.partition(":")
    if prefix == "msr":
        return msr + name
    return PREFIXES[prefix] + name if prefix in PREFIXES else curie
