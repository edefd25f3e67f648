/* jc_write_double_repr must reproduce CPython's repr(float) byte for byte. The
 * reference is PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, NULL), which is
 * what float.__repr__ calls. Covers the edge cases of the algorithm (exponent
 * extremes, power-of-two boundaries, ties, the fixed/exponent switch, every
 * digit-count/point-position layout) and millions of random doubles (scaled by
 * JCODEC_TEST_SCALE: the sanitizer gate runs a tenth of them). The first
 * mismatch ends the test (it prints the value, both texts and the reason); the
 * exit status is check.h's.
 *
 * jc_write_float32_repr (numpy's float32 and float16) has no such reference in
 * CPython; its text is checked for what it must be: strtof of it gives the
 * float back; no decimal of one digit fewer does (the correctly rounded one,
 * from glibc's exact printf, and its neighbours); among the decimals of its
 * length that read back it is the nearest to the float, ties to the even digit
 * (glibc's rounding of the exact value is the oracle); and its layout is
 * repr's (repr of the double nearest the text, which has the same digits, is
 * the text). On every power of two and its neighbours, a range where ties
 * occur, and a few million random bit patterns. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "encode/float_print.h"

/* Writes past JC_DOUBLE_REPR_MAX would land in the canary. */
static struct {
    char buf[JC_DOUBLE_REPR_MAX];
    unsigned char canary[32];
} out;

static unsigned long long checked;

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static void fail(double x, const char *expected, size_t expected_len, const char *why)
{
    size_t n = jc_write_double_repr(x, out.buf);
    if (n > JC_DOUBLE_REPR_MAX)
        n = JC_DOUBLE_REPR_MAX;
    fprintf(stderr, "MISMATCH (%s) bits=0x%016llx (%.17g)\n  expected: %.*s\n  got:      %.*s\n",
            why, (unsigned long long)bits_of(x), x, (int)expected_len, expected, (int)n, out.buf);
    exit(1);
}

static void check(double x)
{
    if (!isfinite(x))
        return;
    char *expected = PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (expected == NULL) {
        PyErr_Print();
        exit(1);
    }
    size_t expected_len = strlen(expected);
    memset(out.canary, 0xA5, sizeof out.canary);
    size_t n = jc_write_double_repr(x, out.buf);
    for (size_t i = 0; i < sizeof out.canary; i++)
        if (out.canary[i] != 0xA5)
            fail(x, expected, expected_len, "wrote past JC_DOUBLE_REPR_MAX");
    if (n != expected_len || memcmp(out.buf, expected, n) != 0)
        fail(x, expected, expected_len, "different text");
    PyMem_Free(expected);
    checked++;
}

/* x, -x and their `radius` nearest neighbours on each side */
static void check_around(double x, int radius)
{
    if (!isfinite(x))
        return;
    x = fabs(x);
    check(x);
    check(-x);
    double up = x, down = x;
    for (int i = 0; i < radius; i++) {
        up = nextafter(up, INFINITY);
        down = nextafter(down, 0.0);
        check(up);
        check(-up);
        check(down);
        check(-down);
    }
}

static double parse(const char *text)
{
    double x = PyOS_string_to_double(text, NULL, NULL);
    if (x == -1.0 && PyErr_Occurred()) {
        PyErr_Print();
        exit(1);
    }
    return x;
}

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* "d.ddd...e<exp>" with `ndigits` random digits, the first nonzero */
static double random_decimal(int ndigits, int exponent)
{
    char text[64];
    int pos = 0;
    text[pos++] = (char)('1' + splitmix64() % 9);
    if (ndigits > 1) {
        text[pos++] = '.';
        for (int i = 1; i < ndigits; i++)
            text[pos++] = (char)('0' + splitmix64() % 10);
    }
    snprintf(text + pos, sizeof text - (size_t)pos, "e%d", exponent);
    return parse(text);
}

static unsigned long long edge_cases(void)
{
    unsigned long long before = checked;

    /* zeros, subnormal and normal extremes */
    check(0.0);
    check(-0.0);
    check_around(from_bits(1), 8);                            /* 5e-324 */
    check_around(from_bits(UINT64_C(0x000FFFFFFFFFFFFF)), 8); /* max subnormal */
    check_around(from_bits(UINT64_C(0x0010000000000000)), 8); /* min normal */
    check_around(from_bits(UINT64_C(0x7FEFFFFFFFFFFFFF)), 8); /* max finite */
    check_around(from_bits(UINT64_C(0x7FE0000000000000)), 8); /* largest power of two */
    for (uint64_t b = 1; b < 4096; b++)                       /* tiny subnormals */
        check(from_bits(b));

    /* every power of two (the asymmetric rounding interval) and neighbours */
    for (int e = -1074; e <= 1023; e++)
        check_around(ldexp(1.0, e), 3);
    /* every power of ten and neighbours */
    for (int e = -325; e <= 309; e++) {
        char text[16];
        snprintf(text, sizeof text, "1e%d", e);
        check_around(parse(text), 3);
    }
    /* significand extremes at every binary exponent */
    for (int e = -1074; e <= 971; e++) {
        check(ldexp((double)((UINT64_C(1) << 53) - 1), e));
        check(ldexp((double)((UINT64_C(1) << 52) + 1), e));
        check(ldexp(3.0, e));
        check(ldexp(5.0, e));
    }

    /* c * 2^q whose scaled value c * 2^q * 10^-k, or that of a rounding-interval
     * end, lies within 2^-58 of an integer (one within 2^-65.4): where truncating
     * the 192-bit product would go wrong first. Found by the exact search behind
     * scripts/gen_float_print_table.py --verify. */
    static const struct {
        uint64_t c;
        int q;
    } hard[] = {
        {UINT64_C(7428994726210731), -1000}, {UINT64_C(7428994726210730), -1000},
        {UINT64_C(4742984597344262), -961},  {UINT64_C(5928730746680328), -958},
        {UINT64_C(5928730746680327), -958},  {UINT64_C(6945118781308697), -950},
        {UINT64_C(6945118781308696), -950},  {UINT64_C(5148614428710587), -939},
        {UINT64_C(5148614428710586), -939},  {UINT64_C(6685530990800801), -867},
        {UINT64_C(6544736997289741), -814},  {UINT64_C(6544736997289740), -814},
        {UINT64_C(5018617364841838), -805},  {UINT64_C(5018617364841838), -804},
        {UINT64_C(7527926047262757), -804},  {UINT64_C(6273271706052298), -802},
        {UINT64_C(6273271706052297), -802},  {UINT64_C(6273271706052298), -801},
        {UINT64_C(6273271706052297), -801},  {UINT64_C(4662377310054808), -704},
        {UINT64_C(4662377310054807), -704},  {UINT64_C(8288827878924862), -654},
        {UINT64_C(8288827878924861), -654},  {UINT64_C(8354666802803588), -598},
        {UINT64_C(6263141949645741), -564},  {UINT64_C(6263141949645740), -564},
        {UINT64_C(6263141949645741), -563},  {UINT64_C(6263141949645740), -563},
        {UINT64_C(6898586531774201), -553},  {UINT64_C(6898586531774200), -553},
        {UINT64_C(6898586531774201), -551},  {UINT64_C(6898586531774200), -551},
        {UINT64_C(6898586531774201), -550},  {UINT64_C(6898586531774200), -550},
        {UINT64_C(6898586531774201), -548},  {UINT64_C(6898586531774200), -548},
        {UINT64_C(6898586531774201), -547},  {UINT64_C(6898586531774200), -547},
        {UINT64_C(6080469016670379), -382},  {UINT64_C(6080469016670379), -381},
        {UINT64_C(6080469016670379), -380},  {UINT64_C(6441135414609811), -300},
        {UINT64_C(6441135414609811), -299},  {UINT64_C(5141745997613070), 89},
        {UINT64_C(5141745997613069), 89},    {UINT64_C(5592117679628511), 163},
        {UINT64_C(5592117679628511), 164},   {UINT64_C(7994505726872012), 364},
        {UINT64_C(7994505726872011), 364},   {UINT64_C(7994505726872012), 365},
        {UINT64_C(7994505726872011), 365},   {UINT64_C(6893714411445497), 373},
        {UINT64_C(6893714411445496), 373},   {UINT64_C(8571084786099026), 402},
        {UINT64_C(8571084786099026), 403},   {UINT64_C(5789867926332032), 477},
        {UINT64_C(5789867926332032), 478},   {UINT64_C(5789867926332032), 479},
        {UINT64_C(8684801889498048), 479},   {UINT64_C(5789867926332032), 480},
        {UINT64_C(7237334907915040), 480},   {UINT64_C(8684801889498048), 480},
        {UINT64_C(5066134435540528), 481},   {UINT64_C(5789867926332032), 481},
        {UINT64_C(6513601417123536), 481},   {UINT64_C(7237334907915040), 481},
        {UINT64_C(7961068398706544), 481},   {UINT64_C(7237334907915040), 482},
        {UINT64_C(5428001180936280), 483},   {UINT64_C(7237334907915040), 483},
        {UINT64_C(4523334317446900), 484},   {UINT64_C(5428001180936280), 484},
        {UINT64_C(6332668044425660), 484},   {UINT64_C(7237334907915040), 484},
        {UINT64_C(8142001771404420), 484},   {UINT64_C(4523334317446900), 485},
        {UINT64_C(4975667749191590), 485},   {UINT64_C(4523334317446900), 486},
        {UINT64_C(6785001476170350), 486},   {UINT64_C(4523334317446900), 487},
        {UINT64_C(5654167896808625), 487},   {UINT64_C(6785001476170350), 487},
        {UINT64_C(7915835055532075), 487},   {UINT64_C(4523334317446900), 488},
        {UINT64_C(5088751107127763), 488},   {UINT64_C(5088751107127762), 488},
        {UINT64_C(5654167896808625), 488},   {UINT64_C(6219584686489488), 488},
        {UINT64_C(6219584686489487), 488},   {UINT64_C(5654167896808625), 489},
        {UINT64_C(8481251845212938), 489},   {UINT64_C(8481251845212937), 489},
        {UINT64_C(5654167896808625), 490},   {UINT64_C(8481251845212938), 490},
        {UINT64_C(8481251845212937), 490},   {UINT64_C(5654167896808625), 491},
        {UINT64_C(5923066542554762), 512},   {UINT64_C(5923066542554761), 512},
        {UINT64_C(5923066542554762), 515},   {UINT64_C(5923066542554761), 515},
        {UINT64_C(8828434261236679), 630},   {UINT64_C(8828434261236678), 630},
        {UINT64_C(8887055249355788), 664},   {UINT64_C(8028113956056861), 681},
        {UINT64_C(6882734733994003), 910},   {UINT64_C(6882734733994002), 910},
    };
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++)
        check_around(ldexp((double)hard[i].c, hard[i].q), 2);

    /* every integer-valued double up to 2^20, and the 2^53 neighbourhood */
    for (int i = 0; i <= (1 << 20); i++)
        check((double)i);
    check_around(9007199254740992.0, 2000);
    for (int64_t i = -1000; i <= 1000; i++)
        check((double)((INT64_C(1) << 53) + i * 3));
    for (int e = 0; e <= 1023; e++) /* big integers: integral, but not printed as such */
        check_around(ldexp(1.0, e) * 3.0, 2);

    /* the fixed/exponent switch: decpt around -4/-3 and 16/17 */
    static const char *const switch_points[] = {
        "1e-4",
        "1e-5",
        "9.999999999999999e-5",
        "0.00010000000000000002",
        "0.0001",
        "0.00099999999999999",
        "0.001",
        "1.5e-5",
        "1.2345678901234567e-4",
        "1.2345678901234567e-5",
        "9.999999999999999e-4",
        "1e15",
        "1e16",
        "1e17",
        "9999999999999998",
        "9999999999999999",
        "10000000000000002",
        "1234567890123456.7",
        "12345678901234567",
        "123456789012345678",
        "999999999999999.9",
        "9007199254740993",
        "4503599627370495.5",
        "4503599627370497",
        "0.1",
        "0.2",
        "0.3",
        "1.1",
        "2.675",
        "1.005",
        "5e-324",
        "2.2250738585072014e-308",
        "2.225073858507201e-308",
        "1.7976931348623157e308",
        "4.9406564584124654e-324",
        "9.8813129168249309e-324",
        "1.5e300",
        "123.456",
    };
    for (size_t i = 0; i < sizeof switch_points / sizeof switch_points[0]; i++)
        check_around(parse(switch_points[i]), 4);
    for (int e = -8; e <= 20; e++) {
        char text[32];
        snprintf(text, sizeof text, "9.999999999999999e%d", e);
        check_around(parse(text), 4);
        snprintf(text, sizeof text, "1.0000000000000002e%d", e);
        check_around(parse(text), 4);
    }

    /* every layout: 1..17 significant digits with the point anywhere from far left
     * to far right of the fixed-notation window, plus neighbours */
    for (int ndigits = 1; ndigits <= 17; ndigits++)
        for (int exponent = -8; exponent <= 20; exponent++)
            for (int rep = 0; rep < 20; rep++)
                check_around(random_decimal(ndigits, exponent), 1);

    /* 15, 16 and 17 significant digits across the whole range */
    for (int rep = 0; rep < 20000; rep++) {
        int exponent = (int)(splitmix64() % 630) - 320;
        check_around(random_decimal(15 + (int)(splitmix64() % 3), exponent), 1);
    }
    return checked - before;
}

/*==============================================================================
 * float32
 *============================================================================*/

static unsigned long long checked32;

/* A float32 and its bit pattern (type punning through a union is C). */
typedef union {
    uint32_t bits;
    float value;
} float32;

#define float_from_bits(b) (((float32){.bits = (b)}).value)
#define float_bits(x)      (((float32){.value = (x)}).bits)

/* A decimal text's significant digits (no leading or trailing zeros; "0"
 * for zero) and the decimal exponent of its first digit. */
typedef struct {
    char digits[40];
    int count;
    int exponent;
} decimal;

static decimal decimal_of(const char *text)
{
    decimal d = {.count = 0, .exponent = 0};
    const char *p = text + (*text == '-' || *text == '+');
    int point = -1, position = 0, first = -1;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            point = position;
            continue;
        }
        if (first < 0 && *p != '0')
            first = position;
        if (first >= 0 && d.count < (int)sizeof d.digits - 1)
            d.digits[d.count++] = *p;
        position++;
    }
    if (point < 0)
        point = position;
    while (d.count > 0 && d.digits[d.count - 1] == '0')
        d.count--;
    if (d.count == 0) {
        strcpy(d.digits, "0");
        return d;
    }
    d.digits[d.count] = 0;
    d.exponent = point - first - 1 + (*p ? atoi(p + 1) : 0);
    return d;
}

static bool same_decimal(const decimal *a, const decimal *b)
{
    return a->count == b->count && a->exponent == b->exponent && strcmp(a->digits, b->digits) == 0;
}

static bool reads_back(const char *text, float x)
{
    return float_bits(strtof(text, NULL)) == float_bits(x);
}

/* "<digits>e<exp>": the decimal `d`, written with `length` significant
 * digits, with its last digit moved by `delta`. */
static void neighbour(const decimal *d, int length, int delta, char *text, size_t size)
{
    long long m = atoll(d->digits);
    for (int i = d->count; i < length; i++)
        m *= 10;
    snprintf(text, size, "%llde%d", m + delta, d->exponent - length + 1);
}

static void fail32(float x, const char *got, const char *why, const char *other)
{
    fprintf(stderr, "FLOAT32 MISMATCH (%s) bits=0x%08lx (%.9g)\n  got:   %s\n  other: %s\n", why,
            (unsigned long)float_bits(x), (double)x, got, other);
    exit(1);
}

static void check32(float x)
{
    if (!isfinite(x))
        return;
    memset(out.canary, 0xA5, sizeof out.canary);
    size_t n = jc_write_float32_repr(x, out.buf);
    for (size_t i = 0; i < sizeof out.canary; i++)
        if (out.canary[i] != 0xA5)
            fail32(x, "", "wrote past JC_DOUBLE_REPR_MAX", "");
    char text[JC_DOUBLE_REPR_MAX + 1];
    memcpy(text, out.buf, n);
    text[n] = 0;
    if (!reads_back(text, x))
        fail32(x, text, "strtof does not give the float back", "");
    /* repr's layout: the double nearest the text prints as the text. */
    char *layout = PyOS_double_to_string(strtod(text, NULL), 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (layout == NULL || strcmp(layout, text) != 0)
        fail32(x, text, "not repr's layout of its digits", layout ? layout : "(error)");
    PyMem_Free(layout);
    decimal got = decimal_of(text); /* unsigned: compared with |x| from here */
    if (x == 0.0f) {
        checked32++;
        return;
    }
    if ((text[0] == '-') != (signbit(x) != 0))
        fail32(x, text, "wrong sign", "");
    x = fabsf(x);
    char candidate[64];
    /* No decimal of one digit fewer reads back. */
    if (got.count > 1) {
        snprintf(candidate, sizeof candidate, "%.*e", got.count - 2, (double)x);
        decimal shorter = decimal_of(candidate);
        if (reads_back(candidate, x))
            fail32(x, text, "a shorter decimal reads back", candidate);
        for (int delta = -1; delta <= 1; delta += 2) {
            char near[64];
            neighbour(&shorter, got.count - 1, delta, near, sizeof near);
            if (reads_back(near, x))
                fail32(x, text, "a shorter decimal reads back", near);
        }
    }
    /* The nearest of its length that reads back, ties to even. */
    snprintf(candidate, sizeof candidate, "%.*e", got.count - 1, (double)x);
    decimal nearest = decimal_of(candidate);
    if (reads_back(candidate, x)) {
        if (!same_decimal(&got, &nearest))
            fail32(x, text, "not the nearest decimal of its length (ties to even)", candidate);
    } else {
        /* The nearest does not read back (x is a power of two, whose lower
         * neighbour is nearer): the one that does is next to it. */
        char near[64];
        bool found = false;
        for (int delta = -1; delta <= 1 && !found; delta += 2) {
            neighbour(&nearest, got.count, delta, near, sizeof near);
            decimal d = decimal_of(near);
            found = same_decimal(&got, &d);
        }
        if (!found)
            fail32(x, text, "neither the nearest decimal of its length nor next to it", candidate);
    }
    checked32++;
}

static void check32_around(uint32_t bits, int radius)
{
    for (int d = -radius; d <= radius; d++) {
        uint32_t b = (bits & 0x7FFFFFFF) + (uint32_t)d;
        if ((int64_t)(bits & 0x7FFFFFFF) + d < 0 || b > 0x7F7FFFFF)
            continue;
        check32(float_from_bits(b));
        check32(float_from_bits(b | 0x80000000u));
    }
}

static void float32_tests(void)
{
    /* Known texts. */
    static const struct {
        float x;
        const char *text;
    } known[] = {
        {1.1f, "1.1"},
        {3.4e38f, "3.4e+38"},
        {0.0f, "0.0"},
        {-0.0f, "-0.0"},
        {1e-45f, "1e-45"},
        {3.4028235e38f, "3.4028235e+38"},
        {16777216.0f, "16777216.0"},
        {1e16f, "1e+16"},
        {1e-5f, "1e-05"},
        {1e-4f, "0.0001"},
        {0.1f, "0.1"},
        {2097152.25f, "2097152.2"},
        {2097152.75f, "2097152.8"},
        {123456789.0f, "123456790.0"},
        {1.17549435e-38f, "1.1754944e-38"},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        size_t n = jc_write_float32_repr(known[i].x, out.buf);
        if (n != strlen(known[i].text) || memcmp(out.buf, known[i].text, n) != 0) {
            fprintf(stderr, "FLOAT32 %.9g: got %.*s, want %s\n", (double)known[i].x, (int)n,
                    out.buf, known[i].text);
            check_failed();
        }
    }
    /* Every power of two (normal and subnormal) and its neighbours. */
    for (uint32_t e = 0; e < 255; e++)
        check32_around(e << 23, 3);
    for (int k = 0; k < 23; k++)
        check32_around(1u << k, 2);
    /* [2**21, 2**22): a quarter apart, x.25 and x.75 are ties at 8 digits. */
    for (uint32_t b = 0x4A000000u; b < 0x4A800000u; b += 11)
        check32(float_from_bits(b));
    /* Random bit patterns. */
    for (unsigned long long i = 0; i < 1500000;) {
        float x = float_from_bits((uint32_t)splitmix64());
        if (!isfinite(x))
            continue;
        check32(x);
        i++;
    }
}

int main(void)
{
    Py_Initialize();

    unsigned long long edges = edge_cases();
    /* The random sweeps' sizes (3, 1 and 1 million in full). */
    unsigned long long random_target = check_scaled(3000000);
    unsigned long long moderate_target = check_scaled(1000000);
    unsigned long long short_target = check_scaled(1000000);

    unsigned long long random_bits = 0;
    while (random_bits < random_target) {
        double x = from_bits(splitmix64());
        if (!isfinite(x))
            continue;
        check(x);
        random_bits++;
    }

    /* random significands with exponents where repr uses fixed notation */
    unsigned long long moderate = 0;
    while (moderate < moderate_target) {
        uint64_t b = splitmix64();
        uint64_t biased = 1023 - 20 + (b >> 52) % 80; /* about 1e-6 .. 1e18 */
        check(from_bits((b & UINT64_C(0x800FFFFFFFFFFFFF)) | (biased << 52)));
        moderate++;
    }

    unsigned long long short_decimals = 0;
    while (short_decimals < short_target) {
        int ndigits = 1 + (int)(splitmix64() % 17);
        uint64_t r = splitmix64();
        int exponent = (r & 1) ? (int)((r >> 1) % 61) - 30 : (int)((r >> 1) % 671) - 345;
        double x = random_decimal(ndigits, exponent);
        if (!isfinite(x))
            continue;
        check((r & 2) ? -x : x);
        short_decimals++;
    }

    float32_tests();

    printf("test_float_print: %llu edge-case values, %llu random bit patterns, "
           "%llu random fixed-range doubles, %llu random short decimals (%llu checks); "
           "%llu float32 checks\n",
           edges, random_bits, moderate, short_decimals, checked, checked32);
    return check_finish("test_float_print");
}
