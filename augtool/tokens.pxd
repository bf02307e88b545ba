# Cython declarations for tokens.py, read only when the wheel build compiles it (hatch_build.py):
# typed strings and C integers, and C calls between the module's functions. The .py stays the
# source of truth and runs unchanged without Cython; both write the same bytes. Arguments keep
# Python types (any object is taken as before). pinned and clitic_hosts build their sets from a
# list, not a generator: Cython cannot compile a closure inside a cpdef function.
cimport cython

@cython.locals(pieces=list, seps=list)
cpdef tokenize(text)

@cython.locals(joined=str)
cpdef pinned(tokens)

cpdef list clitic_positions(tokens)

@cython.locals(joined=str)
cpdef clitic_hosts(tokens)

cpdef bint splits_clitic(sep, word)

cpdef bint pins(sep, word)

cpdef bint pins_next(sep)

# Tokens.text: a Tokens holds lists (its fields say so, and the operations copy them with .copy()).
@cython.locals(parts=list)
cpdef str _join_text(list words, list seps)
