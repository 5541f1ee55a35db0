"""Organisation data: the YAML file of people, committees, policy areas and goals.

``load_org_file`` validates a file completely (every error at once), ``import_org`` upserts it by
keys in one transaction, ``export_org`` writes the database back in the same format.
"""
