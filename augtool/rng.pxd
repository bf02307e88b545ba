# Cython declarations for rng.py, read only when the wheel build compiles it (hatch_build.py).
# Stream becomes an extension type: its state is C fields and its draws C functions, so a draw
# from a compiled operation costs no attribute dictionary and no Python frame. RecordRandom
# stays a Python class (a random.Random subclass) over a Stream.
#
# A word shifted right by 11 is below 2**53, so it converts to a double exactly, and times
# 2**-53 the product is exact too: the float Python computes. Stream.below multiplies a 64-bit
# word by n < 2**64 in 128 bits (GCC's and Clang's unsigned __int128; a compiler without it
# fails this module's build, and the install falls back to the pure Python source), the exact
# product Python's integers give.
cimport cython

cdef extern from *:
    """
    typedef unsigned __int128 augtool_u128;
    """
    ctypedef unsigned long long u128 "augtool_u128"

cdef unsigned long long _MASK
cdef double _SCALE

@cython.locals(scale=double, word=cython.ulonglong)
cpdef list _floats(words, Py_ssize_t start, Py_ssize_t stop)

cdef class Stream:
    cdef bytes _key
    cdef Py_ssize_t _block
    cdef tuple _words
    cdef Py_ssize_t _at

    cpdef seed(self, bytes key)
    @cython.locals(block=Py_ssize_t)
    cdef tuple _refill(self)
    @cython.locals(at=Py_ssize_t)
    cdef object _next(self)
    @cython.locals(at=Py_ssize_t, words=tuple, word=cython.ulonglong)
    cpdef double random(self)
    @cython.locals(at=Py_ssize_t, take=Py_ssize_t, words=tuple, out=list)
    cpdef list randoms(self, Py_ssize_t n)
    cpdef getrandbits(self, k)
    @cython.locals(at=Py_ssize_t, words=tuple, word=cython.ulonglong, product=u128, limit=u128)
    cpdef unsigned long long below(self, u128 n)
    @cython.locals(size=Py_ssize_t)
    cpdef choice(self, seq)
    cpdef randrange(self, start, stop=*, step=*)
    cpdef randint(self, a, b)
    @cython.locals(n=Py_ssize_t, i=Py_ssize_t, threshold=Py_ssize_t, result=list)
    cpdef list sample(self, population, Py_ssize_t k)

cpdef Stream stream_of(rng)
