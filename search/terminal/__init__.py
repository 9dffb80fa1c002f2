"""Terminal: results in, what a person sees and types out.

`render`, `page` and `charts` are rich renderables (document text always shown inert), `fit`
cuts a page to the terminal, `console` makes the consoles (a paragraph per line on a pipe),
`export` writes hits to files and `userconfig` reads the user's config file; `shell`,
`commands`, `explore` and `session` hold the REPL's state and its `:commands`;
`completion`, `lexer` and `key_bindings` serve prompt_toolkit; `repl` is the interactive
loop and `pipe` the one for queries piped in.
"""
