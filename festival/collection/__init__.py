"""The library's own film collection (« fonds cinéma »): the DVDs and books on its shelves,
imported from its catalogue, linked to its catalogue's pages, attached to the workshops and
the ceremony, and their loans during the festival."""
