# Cython declarations for rd.py, read only when the wheel build compiles it (hatch_build.py):
# C integers for positions and counts, typed lists and strings, and C calls between the module's
# functions. The .py stays the source of truth and runs unchanged without Cython; both write the
# same bytes. A function holding a generator expression stays a plain def (Cython cannot compile
# a closure inside a cpdef function).
cimport cython

@cython.locals(core=str)
cpdef bint _cuts(str sep)

@cython.locals(key=tuple, gap=str)
cpdef str _single_gap(str left, str right, bint at_start, bint at_end)

@cython.locals(words=list, seps=list, size=Py_ssize_t, runs=list, first_kept=Py_ssize_t, last_kept=Py_ssize_t,
               out_words=list, out_seps=list, word_from=Py_ssize_t, sep_from=Py_ssize_t, first=Py_ssize_t,
               last=Py_ssize_t, i=Py_ssize_t, left=str, after=str)
cpdef _delete(tokens, list drop)

@cython.locals(i=Py_ssize_t, word=str)
cpdef list _content_words(words, stopwords)

@cython.locals(i=Py_ssize_t, r=double)
cpdef list _drawn(list draws, double alpha, keep)

@cython.locals(ch=Py_UCS4)
cpdef bint _holds_any(str text, str chars)

@cython.locals(joined=str)
cpdef _held(tokens)

@cython.locals(found=list, words=Py_ssize_t, joined=str, i=Py_ssize_t, j=Py_ssize_t, after=str, cuts=list)
cpdef tuple _spans(list seps)
