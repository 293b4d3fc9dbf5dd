"""Where things are: postcode district centres, the towns and council areas they belong to, and
the names people type for them (in English and Gaelic).

Read-only reference data below every bounded context (like `validation`): the directory's
areas covered, search and the CLI all read it, and nothing here knows Flask, SQL or Whoosh."""
