"""The data.europa.eu Metadata Quality Assessment (MQA) score of each record, before it is published.

methodology.py holds the indicators, their points and dimensions, with the sources they were read
from; score.py scores one DCAT document (an rdflib Graph, or the writer's triples); links.py reads
the link checker's report for the indicators that need an HTTP answer; registry.py scores a whole
registry and shapes the result for the build (quality.json, dataset pages, DCAT measurements) and
the `catalogue quality` command. The package sits above dcat/ (it scores what dcat/ writes) and
below build.py, which hands the scores to the site and the DCAT writer.
"""
