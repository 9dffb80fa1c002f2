"""Ingest: folders of files in, frozen `Document`s and clean entity values out.

`corpus` walks the folders and counts every skip; `formats` parses each kind of file and
strips page furniture; `entities` runs spaCy NER (loaded only when indexing); `normalize`
turns mentions into facet values. Nothing here knows about Whoosh.
"""
