"""Terminal: results in, what a person sees and types out.

`render`, `page` and `charts` are rich renderables (document text always shown inert);
`shell`, `commands` and `explore` hold the REPL's state and its `:commands`; `completion`,
`lexer` and `key_bindings` serve prompt_toolkit; `repl` is the interactive loop and `pipe`
the one for queries piped in.
"""
