"""The modern slavery statistics registry: records in, DCAT, CKAN, site and feeds out."""
