# Cython declarations for _synonyms.py, read only when the wheel build compiles it (hatch_build.py):
# the per-word loop that finds a text's synonym positions, with C integers for positions, typed
# words and separators, and the per-word caches read as dicts. The .py stays the source of truth
# and runs unchanged without Cython; both write the same bytes.
cimport cython

@cython.locals(words=list, seps=list, n=Py_ssize_t, i=Py_ssize_t, word=str, cache=dict, never=dict,
               positions=list, after_sep=str, by_hint=bint)
cpdef list _positions(source, tokens)
