/*
 * geomap._scan: the text scanners of geomap.text, in C.
 *
 * Tokens and sentence ends are found by a single pass over the string's
 * code points, with CPython's own Unicode tables, so that the results are
 * exactly those of the regular expressions in geomap/text.py (the pure Python
 * definitions, used when this extension is not built):
 *
 *   token:        [^\W_](?:(?<=[^\W\d_])\.(?:[^\W\d_]\.)+|[^\W_]*)
 *   sentence end: [.!?…\n](?:(?<=\n)|[.!?…]*["'”’»)\]]*(?=\s))
 *
 * For str patterns, the regex engine's \w is Py_UNICODE_ISALNUM or "_", \d is
 * Py_UNICODE_ISDECIMAL and \s is Py_UNICODE_ISSPACE; the same macros are used
 * here. tests/geomap/test_text.py compares both implementations on arbitrary
 * text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if defined(__GNUC__) || defined(__clang__)
#define SCAN_INLINE static inline __attribute__((always_inline))
#else
#define SCAN_INLINE static inline
#endif

/* The ASCII letters and digits, by code: one load where the ranges are
 * three tests (most characters of most texts are ASCII). */
static const unsigned char ascii_alnum[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

/* [^\W_]: a letter or digit */
static inline int
is_alnum(Py_UCS4 c)
{
    if (c < 128)
        return ascii_alnum[c];
    return Py_UNICODE_ISALNUM(c);
}

/* [^\W\d_]: a letter (a letter or digit, not a decimal digit) */
static inline int
is_letter(Py_UCS4 c)
{
    if (c < 128)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* [.!?…] */
static inline int
is_stop(Py_UCS4 c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

/* ["'”’»)\]] */
static inline int
is_closer(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0xBB || c == ')' || c == ']';
}

/* Append a new reference to a list, and drop it; -1 on error. */
static inline int
append_new(PyObject *list, PyObject *item)
{
    if (item == NULL)
        return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* Offsets as int objects, made once each: a text is cut into pieces of at
 * most 64,000 characters (geomap.pipeline.CHUNK_CHARS), so the offsets of
 * most texts are below OFFSETS, and each token has two. Ints are immutable:
 * sharing them is what CPython does itself for those below 257. */
#define OFFSETS 65536
static PyObject *offsets[OFFSETS];

static inline PyObject *
offset(Py_ssize_t i)
{
    if (i >= OFFSETS)
        return PyLong_FromSsize_t(i);
    PyObject *o = offsets[i];
    if (o == NULL) {
        o = PyLong_FromSsize_t(i);
        if (o == NULL)
            return NULL;
        offsets[i] = o;           /* the table keeps this reference */
    }
    Py_INCREF(o);
    return o;
}

/* Short words as str objects, shared: news repeats a few hundred short
 * words ("the", "of", "said"), and a new str for each costs its allocation,
 * its copy, its free and, in every set or dict it is looked up in, its hash
 * again (a shared str keeps its hash). A slot holds the last word of up to
 * WORD_MAX characters whose hash (FNV-1a of the code points) fell in it;
 * another word in the slot replaces it. Strs are immutable: sharing them is
 * what CPython does itself for one-character strings. */
#define WORDS 4096
#define WORD_MAX 12
static PyObject *words_seen[WORDS];

static inline PyObject *
word_of(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t n = end - start;
    if (n < 2 || n > WORD_MAX)
        return PyUnicode_Substring(text, start, end);
    Py_UCS4 h = 2166136261u;
    for (Py_ssize_t j = start; j < end; j++)
        h = (h ^ PyUnicode_READ(kind, data, j)) * 16777619u;
    PyObject **slot = &words_seen[h & (WORDS - 1)];
    PyObject *w = *slot;
    if (w != NULL && PyUnicode_GET_LENGTH(w) == n) {
        int wkind = PyUnicode_KIND(w);
        const void *wdata = PyUnicode_DATA(w);
        Py_ssize_t j = 0;
        while (j < n && PyUnicode_READ(wkind, wdata, j) == PyUnicode_READ(kind, data, start + j))
            j++;
        if (j == n) {
            Py_INCREF(w);
            return w;
        }
    }
    w = PyUnicode_Substring(text, start, end);
    if (w == NULL)
        return NULL;
    Py_XSETREF(*slot, w);
    Py_INCREF(w);             /* the table keeps one reference */
    return w;
}

PyDoc_STRVAR(columns_doc,
"columns(text, /)\n--\n\n"
"The tokens of text as four lists: words, start offsets, end offsets and\n"
"whether each word's first character is upper case (str.isupper).");

/* A token found by scan_tokens: its offsets and whether it is capitalised. */
typedef struct {
    Py_ssize_t start, end;
    int cap;
} token_t;

/* The tokens of text[0:n] written to *tokens (grown as needed, *size
 * entries allocated), their count in *count; -1 on error (no memory). Inlined
 * once per string kind, so that each loop reads its kind of code unit. */
SCAN_INLINE int
scan_tokens(const int kind, const void *data, Py_ssize_t n,
            token_t **tokens, Py_ssize_t *size, Py_ssize_t *count)
{
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_alnum(c)) {
            i++;
            continue;
        }
        Py_ssize_t e = i + 1;
        /* a letter, then full stop + (letter + full stop)+: an abbreviation ("U.S.") */
        int dotted = 0;
        if (is_letter(c) && e < n && PyUnicode_READ(kind, data, e) == '.') {
            Py_ssize_t k = e + 1;
            while (k + 1 < n && is_letter(PyUnicode_READ(kind, data, k))
                   && PyUnicode_READ(kind, data, k + 1) == '.')
                k += 2;
            if (k > e + 1) {
                e = k;
                dotted = 1;
            }
        }
        if (!dotted)
            while (e < n && is_alnum(PyUnicode_READ(kind, data, e)))
                e++;
        if (*count == *size) {
            Py_ssize_t grown = *size * 2 + 64;
            token_t *more = PyMem_Realloc(*tokens, (size_t)grown * sizeof(token_t));
            if (more == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            *tokens = more;
            *size = grown;
        }
        token_t *t = &(*tokens)[(*count)++];
        t->start = i;
        t->end = e;
        /* (an ASCII letter told by its code: str.isupper is a call per token) */
        t->cap = (c < 128 ? (c >= 'A' && c <= 'Z') : Py_UNICODE_ISUPPER(c)) ? 1 : 0;
        i = e;
    }
    return 0;
}

static PyObject *
columns(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "columns() expects str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    /* the tokens are found first, so that each list is made at its size
     * (appending one item at a time costs as much as the scan) */
    token_t *tokens = NULL;
    Py_ssize_t size = 0, count = 0;
    /* news has about one token in six characters: room for one in four at
     * once spares most texts the doublings from nothing (at most a piece's
     * worth, geomap.pipeline.CHUNK_CHARS: a longer text grows as it needs) */
    size = (n < 65536 ? n : 65536) / 4 + 16;
    tokens = PyMem_Malloc((size_t)size * sizeof(token_t));
    if (tokens == NULL)
        return PyErr_NoMemory();
    PyObject *words = NULL, *starts = NULL, *ends = NULL, *caps = NULL;
    int r;
    const int kind = PyUnicode_KIND(text);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        r = scan_tokens(PyUnicode_1BYTE_KIND, data, n, &tokens, &size, &count);
        break;
    case PyUnicode_2BYTE_KIND:
        r = scan_tokens(PyUnicode_2BYTE_KIND, data, n, &tokens, &size, &count);
        break;
    default:
        r = scan_tokens(PyUnicode_4BYTE_KIND, data, n, &tokens, &size, &count);
        break;
    }
    if (r < 0)
        goto fail;
    words = PyList_New(count);
    starts = PyList_New(count);
    ends = PyList_New(count);
    caps = PyList_New(count);
    if (words == NULL || starts == NULL || ends == NULL || caps == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < count; k++) {
        token_t *t = &tokens[k];
        PyObject *word = word_of(text, kind, data, t->start, t->end);
        PyObject *start = offset(t->start), *end = offset(t->end);
        /* (each list owns its item from here: a NULL item is dropped with it) */
        PyList_SET_ITEM(words, k, word);
        PyList_SET_ITEM(starts, k, start);
        PyList_SET_ITEM(ends, k, end);
        PyObject *cap = t->cap ? Py_True : Py_False;
        Py_INCREF(cap);
        PyList_SET_ITEM(caps, k, cap);
        if (word == NULL || start == NULL || end == NULL)
            goto fail;
    }
    PyMem_Free(tokens);
    return Py_BuildValue("(NNNN)", words, starts, ends, caps);
fail:
    PyMem_Free(tokens);
    Py_XDECREF(words);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(caps);
    return NULL;
}

PyDoc_STRVAR(capitals_doc,
"capitals(caps, /)\n--\n\n"
"The indices of the true items of the list caps, in order:\n"
"list(itertools.compress(range(len(caps)), caps)).");

static PyObject *
capitals(PyObject *module, PyObject *caps)
{
    if (!PyList_Check(caps)) {
        PyErr_Format(PyExc_TypeError, "capitals() expects list, not %.100s", Py_TYPE(caps)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(caps), count = 0;
    char *truth = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (truth == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(caps, i);
        int t = item == Py_True ? 1 : item == Py_False ? 0 : PyObject_IsTrue(item);
        if (t < 0 || n != PyList_GET_SIZE(caps)) {
            /* (an item's __bool__ failed, or changed the list) */
            if (t >= 0)
                PyErr_SetString(PyExc_RuntimeError, "capitals(): the list changed");
            PyMem_Free(truth);
            return NULL;
        }
        truth[i] = (char)t;
        count += t;
    }
    PyObject *out = PyList_New(count);
    if (out == NULL) {
        PyMem_Free(truth);
        return NULL;
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!truth[i])
            continue;
        PyObject *index = offset(i);
        if (index == NULL) {
            PyMem_Free(truth);
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k++, index);
    }
    PyMem_Free(truth);
    return out;
}

PyDoc_STRVAR(spelled_doc,
"spelled(words, indices, word, /)\n--\n\n"
"The items i of the list indices, in order, whose word words[i] equals\n"
"word: [i for i in indices if words[i] == word].");

/* Is the str a equal to the str b? (Equal strs have the same length and
 * kind, and then the same code units; most words differ in length.) */
static inline int
same_str(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    if (n != PyUnicode_GET_LENGTH(b) || PyUnicode_KIND(a) != PyUnicode_KIND(b))
        return 0;
    if (n == 0)
        return 1;
    /* (the first code units first: most words of a length differ there) */
    const int kind = PyUnicode_KIND(a);
    const void *da = PyUnicode_DATA(a), *db = PyUnicode_DATA(b);
    if (PyUnicode_READ(kind, da, 0) != PyUnicode_READ(kind, db, 0))
        return 0;
    return memcmp(da, db, (size_t)n * kind) == 0;
}

/* An index as a Py_ssize_t (-1 with an error set if it is none): a small
 * non-negative int, as indices are, read from its one digit, where
 * PyNumber_AsSsize_t is a call through the number protocol. */
static inline Py_ssize_t
index_value(PyObject *o)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (PyLong_CheckExact(o) && PyUnstable_Long_IsCompact((PyLongObject *)o))
        return PyUnstable_Long_CompactValue((PyLongObject *)o);
#else
    if (PyLong_CheckExact(o)) {
        Py_ssize_t size = Py_SIZE(o);
        if (size == 0)
            return 0;
        if (size == 1)
            return (Py_ssize_t)((PyLongObject *)o)->ob_digit[0];
    }
#endif
    return PyNumber_AsSsize_t(o, PyExc_IndexError);
}

/* Append to out the items i of indices, from the k-th on, whose words[i]
 * equals word, compared as Python compares them (any code may run: each
 * item is held while it is used); -1 on error. */
static int
spelled_from(PyObject *words, PyObject *indices, PyObject *word, Py_ssize_t k, PyObject *out)
{
    for (; k < PyList_GET_SIZE(indices); k++) {
        PyObject *index = PyList_GET_ITEM(indices, k);
        Py_INCREF(index);
        Py_ssize_t i = index_value(index);
        if (i == -1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t n = PyList_GET_SIZE(words);
        if (i < 0)
            i += n;
        if (i < 0 || i >= n) {
            PyErr_SetString(PyExc_IndexError, "list index out of range");
            goto fail;
        }
        PyObject *item = PyList_GET_ITEM(words, i);
        int eq;
        if (PyUnicode_CheckExact(item) && PyUnicode_CheckExact(word)) {
            eq = same_str(item, word);
        }
        else {
            Py_INCREF(item);
            eq = PyObject_RichCompareBool(item, word, Py_EQ);
            Py_DECREF(item);
            if (eq < 0)
                goto fail;
        }
        if (eq && PyList_Append(out, index) < 0)
            goto fail;
        Py_DECREF(index);
        continue;
    fail:
        Py_DECREF(index);
        return -1;
    }
    return 0;
}

static PyObject *
spelled(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "spelled() takes 3 arguments");
        return NULL;
    }
    PyObject *words = args[0], *indices = args[1], *word = args[2];
    if (!PyList_Check(words) || !PyList_Check(indices)) {
        PyErr_SetString(PyExc_TypeError, "spelled() expects two lists and a word");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (PyUnicode_CheckExact(word)) {
        /* A str: compared here, and no Python code runs, so that the lists'
         * items are used as borrowed. (An item of another type, or an index
         * that is no small int, goes the general way below, from there on.) */
        const Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        const int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        const Py_ssize_t n = PyList_GET_SIZE(words), count = PyList_GET_SIZE(indices);
        PyObject **items = ((PyListObject *)words)->ob_item;
        PyObject **at = ((PyListObject *)indices)->ob_item;
        Py_ssize_t k = 0;
        for (; k < count; k++) {
            PyObject *index = at[k];
            Py_ssize_t i;
#if PY_VERSION_HEX >= 0x030C0000
            if (!PyLong_CheckExact(index) || !PyUnstable_Long_IsCompact((PyLongObject *)index))
                break;
            i = PyUnstable_Long_CompactValue((PyLongObject *)index);
#else
            if (!PyLong_CheckExact(index) || (Py_SIZE(index) != 0 && Py_SIZE(index) != 1))
                break;
            i = Py_SIZE(index) ? (Py_ssize_t)((PyLongObject *)index)->ob_digit[0] : 0;
#endif
            if (i < 0 || i >= n)
                break;
            PyObject *item = items[i];
            if (item == word) {
                if (PyList_Append(out, index) < 0)
                    goto fail_fast;
                continue;
            }
            if (!PyUnicode_CheckExact(item))
                break;
            if (PyUnicode_GET_LENGTH(item) != length || PyUnicode_KIND(item) != kind)
                continue;
            const void *other = PyUnicode_DATA(item);
            if (length == 0 || (PyUnicode_READ(kind, other, 0) == PyUnicode_READ(kind, data, 0)
                                && memcmp(other, data, (size_t)length * kind) == 0)) {
                if (PyList_Append(out, index) < 0)
                    goto fail_fast;
            }
        }
        if (k == count)
            return out;
        /* (the rest the general way) */
        if (spelled_from(words, indices, word, k, out) < 0)
            goto fail_fast;
        return out;
    fail_fast:
        Py_DECREF(out);
        return NULL;
    }
    if (spelled_from(words, indices, word, 0, out) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* Is the word ending at the full stop text[dot] one of abbreviations ("Mr.")?
 * The word is the run of letters before the full stop, looked for no further
 * back than max(start, dot - longest); a run that fills that window and
 * follows a letter is no abbreviation. 1, 0, or -1 on error. */
static int
abbreviation_before(PyObject *text, int kind, const void *data, Py_ssize_t start,
                    Py_ssize_t dot, Py_ssize_t longest, PyObject *abbreviations)
{
    Py_ssize_t lo = dot - longest > start ? dot - longest : start;
    Py_ssize_t x = dot;
    while (x > lo && is_letter(PyUnicode_READ(kind, data, x - 1)))
        x--;
    if (x == dot)
        return 0;
    if (x == lo && lo > start && Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, lo - 1)))
        return 0;
    Py_ssize_t k = x;
    while (k < dot && PyUnicode_READ(kind, data, k) < 128)
        k++;
    PyObject *lower;
    if (k == dot) {
        /* ASCII letters: str.lower() is the ASCII lower case, written here */
        lower = PyUnicode_New(dot - x, 127);
        if (lower == NULL)
            return -1;
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(lower);
        for (k = x; k < dot; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            out[k - x] = (Py_UCS1)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
    else {
        PyObject *word = PyUnicode_Substring(text, x, dot);
        if (word == NULL)
            return -1;
        lower = PyObject_CallMethod(word, "lower", NULL);
        Py_DECREF(word);
        if (lower == NULL)
            return -1;
    }
    int found = PySet_Contains(abbreviations, lower);
    Py_DECREF(lower);
    return found;
}

/* Append (start, end) with white space trimmed, unless nothing is left. */
static int
push(PyObject *spans, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start)))
        start++;
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)))
        end--;
    if (end == start)
        return 0;
    return append_new(spans, Py_BuildValue("(nn)", start, end));
}

PyDoc_STRVAR(sentences_doc,
"sentences(text, abbreviations, longest, /)\n--\n\n"
"Sentence (start, end) spans of text: geomap.text.sentence_spans, with its\n"
"set of abbreviations and how far back to look for one.");

/* The sentence spans of text[0:n] appended to spans; -1 on error. Inlined
 * once per string kind, as scan_tokens is. */
SCAN_INLINE int
scan_sentences(PyObject *text, const int kind, const void *data, Py_ssize_t n,
               PyObject *abbreviations, Py_ssize_t longest, PyObject *spans)
{
    Py_ssize_t start = 0, p = 0;
    while (p < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        Py_ssize_t end;
        if (c == '\n') {
            end = p + 1;
        }
        else if (is_stop(c)) {
            /* the longest run of stops, then of closing quotes and brackets,
             * must be followed by white space (shorter runs are followed by a
             * stop or a closer, so they cannot match where this one does not) */
            Py_ssize_t q = p + 1;
            while (q < n && is_stop(PyUnicode_READ(kind, data, q)))
                q++;
            while (q < n && is_closer(PyUnicode_READ(kind, data, q)))
                q++;
            if (q == n || !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, q))) {
                p++;
                continue;
            }
            end = q;
        }
        else {
            p++;
            continue;
        }
        if (c == '.') {
            int abbrev = abbreviation_before(text, kind, data, start, p, longest, abbreviations);
            if (abbrev < 0)
                return -1;
            if (abbrev) {
                p = end;
                continue;
            }
        }
        if (push(spans, kind, data, start, end) < 0)
            return -1;
        start = p = end;
    }
    if (push(spans, kind, data, start, n) < 0)
        return -1;
    return 0;
}

static PyObject *
sentences(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "sentences() takes 3 arguments");
        return NULL;
    }
    PyObject *text = args[0], *abbreviations = args[1];
    if (!PyUnicode_Check(text) || !PyAnySet_Check(abbreviations)) {
        PyErr_SetString(PyExc_TypeError, "sentences() expects a str and a set");
        return NULL;
    }
    Py_ssize_t longest = PyLong_AsSsize_t(args[2]);
    if (longest == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *spans = PyList_New(0);
    if (spans == NULL)
        return NULL;
    int r;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        r = scan_sentences(text, PyUnicode_1BYTE_KIND, data, n, abbreviations, longest, spans);
        break;
    case PyUnicode_2BYTE_KIND:
        r = scan_sentences(text, PyUnicode_2BYTE_KIND, data, n, abbreviations, longest, spans);
        break;
    default:
        r = scan_sentences(text, PyUnicode_4BYTE_KIND, data, n, abbreviations, longest, spans);
        break;
    }
    if (r < 0)
        goto fail;
    return spans;
fail:
    Py_DECREF(spans);
    return NULL;
}

static PyMethodDef scan_methods[] = {
    {"columns", (PyCFunction)columns, METH_O, columns_doc},
    {"capitals", (PyCFunction)capitals, METH_O, capitals_doc},
    {"sentences", (PyCFunction)(void (*)(void))sentences, METH_FASTCALL, sentences_doc},
    {"spelled", (PyCFunction)(void (*)(void))spelled, METH_FASTCALL, spelled_doc},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot scan_slots[] = {
#if PY_VERSION_HEX >= 0x030C0000
    /* the offsets table is one per process */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef scan_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "geomap._scan",
    .m_doc = "The text scanners of geomap.text, in C (see geomap/_scan.c).",
    .m_size = 0,
    .m_methods = scan_methods,
    .m_slots = scan_slots,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    return PyModuleDef_Init(&scan_module);
}
