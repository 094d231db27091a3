"""Can these figures be compared? The comparison engine, built only from the records.

Why a package of its own: the answer to "can I compare this with that" is spread over caveats, method
changes, coherence notes, breakdown periods, units and geographies of several records. One engine
(engine.py) reads them all the same way for every place that asks: the `catalogue compare` command,
the `/api/compare` endpoint (http.py, mounted by catalogue/serve) and the site's compare page (whose
script calls that endpoint). A side is `ID[:PERIOD[:BREAKDOWN]]` (sides.py); the answer is a verdict in
plain words with every reason cited to the record, field and source it comes from (report.py).

It is an output: it takes a validated `Registry` and imports only records/ and the foundation modules.
"""
