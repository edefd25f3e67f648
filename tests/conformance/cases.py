"""jcodec's own conformance table (written for this project, not copied from any suite).

Each case is Case(name, doc, expected):
  doc       the document, as bytes (UTF-8 unless the case is about invalid UTF-8)
  expected  Ok(value)            jcodec.loads(doc) == value, with identical types
                                 (floats bit for bit, dict key order included)
            Err(msg, pos)        JSONDecodeError whose .msg contains `msg` and whose
                                 .pos is exactly `pos` (a BYTE offset into doc)

tests/python/test_loads_conformance.py runs every case on bytes, bytearray,
memoryview and (when doc is valid UTF-8) on str, where the expected position
becomes the code-point offset of the same character.

Sections: literals, numbers, strings and escapes, surrogates, raw UTF-8, invalid
UTF-8 (each class), whitespace, arrays, objects, nesting, document-level errors.
"""
from collections import namedtuple

Case = namedtuple("Case", "name doc expected")
Ok = namedtuple("Ok", "value")
Err = namedtuple("Err", "msg pos")

CASES = []


def case(name, doc, expected):
    if isinstance(doc, str):
        doc = doc.encode("utf-8")
    assert isinstance(doc, bytes), name
    CASES.append(Case(name, doc, expected))


def ok(name, doc, value):
    case(name, doc, Ok(value))


def err(name, doc, msg, pos):
    case(name, doc, Err(msg, pos))


def _nested_lists(depth):
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


# =============================================================================
# Literals
# =============================================================================
ok("literal_true", b"true", True)
ok("literal_false", b"false", False)
ok("literal_null", b"null", None)
ok("literal_in_array", b"[true,false,null]", [True, False, None])
err("literal_true_truncated", b"tru", "invalid literal: expected 'true'", 0)
err("literal_t_alone", b"t", "invalid literal: expected 'true'", 0)
err("literal_true_misspelt", b"trUe", "invalid literal: expected 'true'", 0)
err("literal_true_capital", b"True", "expected a value, found 'T'", 0)
err("literal_false_truncated", b"fals", "invalid literal: expected 'false'", 0)
err("literal_false_misspelt", b"falsy", "invalid literal: expected 'false'", 0)
err("literal_null_truncated", b"nul", "invalid literal: expected 'null'", 0)
err("literal_null_capital", b"NULL", "expected a value, found 'N'", 0)
err("literal_none", b"None", "expected a value, found 'N'", 0)
err("literal_null_extra_letter", b"nulll", "extra data after the JSON value: 'l'", 4)
err("literal_true_extra_letters", b"truex", "extra data after the JSON value: 'x'", 4)
err("literal_truncated_in_array", b"[tru]", "invalid literal: expected 'true'", 1)
err("literal_nan", b"NaN", "NaN is not valid JSON", 0)
err("literal_nan_in_array", b"[1,NaN]", "NaN is not valid JSON", 3)
err("literal_nan_lowercase", b"nan", "invalid literal: expected 'null'", 0)
err("literal_infinity", b"Infinity", "Infinity is not valid JSON", 0)
err("literal_minus_infinity", b"-Infinity", "-Infinity is not valid JSON", 0)
err("literal_minus_infinity_in_object", b'{"a":-Infinity}', "-Infinity is not valid JSON", 5)
err("literal_plus_infinity", b"+Infinity", "expected a value, found '+'", 0)
err("literal_inf", b"inf", "expected a value, found 'i'", 0)
err("literal_infinity_truncated", b"Infinit", "expected a value, found 'I'", 0)
err("literal_undefined", b"undefined", "expected a value, found 'u'", 0)

# =============================================================================
# Numbers
# =============================================================================
ok("int_zero", b"0", 0)
ok("int_minus_zero", b"-0", 0)
ok("int_one", b"1", 1)
ok("int_negative", b"-1", -1)
ok("int_multi_digit", b"1234567890", 1234567890)
ok("int_19_digits_max", b"9999999999999999999", 9999999999999999999)
ok("int_20_digits", b"10000000000000000000", 10000000000000000000)
ok("int_2_63_minus_1", b"9223372036854775807", 2**63 - 1)
ok("int_2_63", b"9223372036854775808", 2**63)
ok("int_minus_2_63", b"-9223372036854775808", -(2**63))
ok("int_minus_2_63_minus_1", b"-9223372036854775809", -(2**63) - 1)
ok("int_2_64_minus_1", b"18446744073709551615", 2**64 - 1)
ok("int_2_64", b"18446744073709551616", 2**64)
ok("int_minus_2_64", b"-18446744073709551616", -(2**64))
ok("int_huge", b"1" + b"0" * 100, 10**100)
ok("int_huge_negative", b"-" + b"9" * 200, -(10**200 - 1))
ok("float_zero", b"0.0", 0.0)
ok("float_minus_zero", b"-0.0", -0.0)
ok("float_minus_zero_exponent", b"-0e0", -0.0)
ok("float_zero_exponent", b"0e0", 0.0)
ok("float_zero_huge_exponent", b"0e999999999999999999", 0.0)
ok("float_simple", b"1.5", 1.5)
ok("float_negative", b"-1.5", -1.5)
ok("float_leading_zero_fraction", b"0.5", 0.5)
ok("float_many_fraction_digits", b"3.14159265358979323846264338327950288", 3.141592653589793)
ok("float_exponent", b"1e5", 100000.0)
ok("float_exponent_upper", b"1E5", 100000.0)
ok("float_exponent_plus", b"1e+5", 100000.0)
ok("float_exponent_minus", b"1e-5", 1e-05)
ok("float_exponent_upper_minus", b"2E-3", 0.002)
ok("float_exponent_upper_plus", b"2E+3", 2000.0)
ok("float_fraction_and_exponent", b"1.25e2", 125.0)
ok("float_exponent_leading_zeros", b"1e0005", 100000.0)
ok("float_one_point_zero", b"1.0", 1.0)
ok("float_one_e_zero", b"1e0", 1.0)
ok("float_max", b"1.7976931348623157e308", 1.7976931348623157e308)
ok("float_max_rounds_down", b"1.7976931348623158e308", 1.7976931348623157e308)
ok("float_min_normal", b"2.2250738585072014e-308", 2.2250738585072014e-308)
ok("float_subnormal_boundary", b"2.2250738585072011e-308", 2.225073858507201e-308)
ok("float_min_subnormal", b"5e-324", 5e-324)
ok("float_min_subnormal_long", b"4.9406564584124654e-324", 5e-324)
ok("float_underflow_to_zero", b"1e-400", 0.0)
ok("float_underflow_to_minus_zero", b"-1e-400", -0.0)
ok("float_below_half_min_subnormal", b"2.4703282292062327e-324", 0.0)
ok("float_above_half_min_subnormal", b"2.4703282292062328e-324", 5e-324)
ok("float_halfway_2_53_plus_1", b"9007199254740993.0", 9007199254740992.0)
ok("float_halfway_above", b"9007199254740993.000000000000000000001", 9007199254740994.0)
ok("float_1e23", b"1e23", 1e23)
ok("float_8_98e307", b"8.988465674311580536566680e307", 8.98846567431158e307)
ok("float_long_zero_fraction", b"0." + b"0" * 330 + b"1", 0.0)
ok("float_long_zero_fraction_nonzero", b"0." + b"0" * 300 + b"1", 1e-301)
ok("float_long_mantissa", b"1" + b"0" * 300 + b".0", 1e300)
ok("float_long_mantissa_fraction", b"0.1" + b"0" * 500 + b"1", 0.1)
err("number_overflow_1e309", b"1e309", "number out of range", 0)
err("number_overflow_negative", b"-1e400", "number out of range", 0)
err("number_overflow_long_mantissa", b"1" + b"0" * 400 + b".0", "number out of range", 0)
err("number_overflow_in_array", b"[0, 1.8e308]", "number out of range", 4)
err("number_overflow_huge_exponent", b"1e99999999999999999999", "number out of range", 0)
err("number_leading_zero", b"01", "leading zero in number", 0)
err("number_leading_zeros", b"00", "leading zero in number", 0)
err("number_negative_leading_zero", b"-01", "leading zero in number", 1)
err("number_leading_zero_float", b"01.5", "leading zero in number", 0)
err("number_leading_zero_in_array", b"[1,007]", "leading zero in number", 3)
err("number_minus_alone", b"-", "invalid number: expected a digit after '-', found end of data", 1)
err("number_minus_letter", b"-a", "invalid number: expected a digit after '-', found 'a'", 1)
err("number_minus_space", b"- 1", "invalid number: expected a digit after '-', found ' '", 1)
err("number_double_minus", b"--1", "invalid number: expected a digit after '-', found '-'", 1)
err("number_minus_dot", b"-.5", "invalid number: expected a digit after '-', found '.'", 1)
err("number_plus_sign", b"+1", "expected a value, found '+'", 0)
err("number_leading_dot", b".5", "expected a value, found '.'", 0)
err("number_trailing_dot", b"1.", "invalid number: expected a digit after the decimal point, found end of data", 2)
err("number_dot_exponent", b"1.e5", "invalid number: expected a digit after the decimal point, found 'e'", 2)
err("number_dot_in_array", b"[1.]", "invalid number: expected a digit after the decimal point, found ']'", 3)
err("number_exponent_empty", b"1e", "invalid number: expected a digit in the exponent, found end of data", 2)
err("number_exponent_sign_only", b"1e+", "invalid number: expected a digit in the exponent, found end of data", 3)
err("number_exponent_minus_only", b"1E-", "invalid number: expected a digit in the exponent, found end of data", 3)
err("number_exponent_double_e", b"1ee5", "invalid number: expected a digit in the exponent, found 'e'", 2)
err("number_exponent_letter", b"[1.5ex]", "invalid number: expected a digit in the exponent, found 'x'", 5)
err("number_two_dots", b"1.5.5", "extra data after the JSON value: '.'", 3)
err("number_fraction_after_exponent", b"1e5.5", "extra data after the JSON value: '.'", 3)
err("number_hex", b"0x10", "extra data after the JSON value: 'x'", 1)
err("number_underscore", b"1_000", "extra data after the JSON value: '_'", 1)
err("number_comma_decimal", b"1,5", "extra data after the JSON value: ','", 1)
err("number_int_over_digit_limit", b"1" * 4301, "integer literal has 4301 digits, over the limit of 4300", 0)
err("number_negative_int_over_digit_limit", b"[-" + b"2" * 5000 + b"]",
    "integer literal has 5000 digits, over the limit of 4300", 1)
ok("number_int_at_digit_limit", b"7" * 4300, int("7" * 4300))
# floats are not subject to the int digit limit
ok("number_float_beyond_digit_limit", b"1" * 300 + b"." + b"1" * 4700, float("1" * 300 + "." + "1" * 4700))

# =============================================================================
# Strings and escapes
# =============================================================================
ok("string_empty", b'""', "")
ok("string_ascii", b'"abc"', "abc")
ok("string_space", b'" "', " ")
ok("string_long_ascii", b'"' + b"x" * 1000 + b'"', "x" * 1000)
ok("string_printable_ascii", b'"' + bytes(c for c in range(0x20, 0x7F) if c not in b'"\\') + b'"',
   "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in '"\\'))
ok("string_del_raw", b'"\x7f"', "\x7f")
ok("string_slash_raw", b'"/"', "/")
ok("string_single_quote", b"\"'\"", "'")
ok("escape_quote", b'"\\""', '"')
ok("escape_backslash", b'"\\\\"', "\\")
ok("escape_slash", b'"\\/"', "/")
ok("escape_b", b'"\\b"', "\b")
ok("escape_f", b'"\\f"', "\f")
ok("escape_n", b'"\\n"', "\n")
ok("escape_r", b'"\\r"', "\r")
ok("escape_t", b'"\\t"', "\t")
ok("escape_all_short", b'"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t')
ok("escape_u_nul", b'"\\u0000"', "\x00")
ok("escape_u_control", b'"\\u001f"', "\x1f")
ok("escape_u_ascii", b'"\\u0041"', "A")
ok("escape_u_latin1", b'"\\u00e9"', "\u00e9")
ok("escape_u_bmp", b'"\\u20ac"', "\u20ac")
ok("escape_u_upper_hex", b'"\\u20AC"', "\u20ac")
ok("escape_u_mixed_case_hex", b'"\\uAbCd"', "\uabcd")
ok("escape_u_ffff", b'"\\uffff"', "\uffff")
ok("escape_u_fffe", b'"\\uFFFE"', "\ufffe")
ok("escape_u_before_surrogates", b'"\\ud7ff"', "\ud7ff")
ok("escape_u_after_surrogates", b'"\\ue000"', "\ue000")
ok("escape_u_bom", b'"\\ufeff"', "\ufeff")
ok("escape_quote_then_text", b'"a\\"b"', 'a"b')
ok("escape_backslash_at_end", b'"ab\\\\"', "ab\\")
ok("escape_after_long_ascii", b'"' + b"a" * 40 + b'\\n"', "a" * 40 + "\n")
ok("escape_many", b'"' + b"\\n" * 100 + b'"', "\n" * 100)
ok("string_escaped_u_sequence_text", b'"\\\\u0041"', "\\u0041")
err("escape_x", b'"\\x41"', "invalid escape: backslash followed by 'x'", 1)
err("escape_capital_u", b'"\\U0041"', "invalid escape: backslash followed by 'U'", 1)
err("escape_single_quote", b'"\\\'"', "invalid escape: backslash followed by \"'\"", 1)
err("escape_a", b'"\\a"', "invalid escape: backslash followed by 'a'", 1)
err("escape_zero", b'"\\0"', "invalid escape: backslash followed by '0'", 1)
err("escape_space", b'"\\ "', "invalid escape: backslash followed by ' '", 1)
err("escape_newline", b'"\\\n"', "invalid escape: backslash followed by byte 0x0A", 1)
err("escape_non_ascii", '"\\é"', "invalid escape: backslash followed by 'é'", 1)
err("escape_invalid_after_text", b'["abc\\qdef"]', "invalid escape: backslash followed by 'q'", 5)
err("escape_u_short", b'"\\u12"', "invalid \\u escape: expected four hex digits", 1)
err("escape_u_empty", b'"\\u"', "invalid \\u escape: expected four hex digits", 1)
err("escape_u_bad_hex", b'"\\u12G4"', "invalid \\u escape: expected four hex digits", 1)
err("escape_u_no_hex", b'"\\uzzzz"', "invalid \\u escape: expected four hex digits", 1)
err("escape_u_sign", b'"\\u-123"', "invalid \\u escape: expected four hex digits", 1)
err("escape_u_in_key", b'{"a\\u00"}', "invalid \\u escape: expected four hex digits", 3)

# =============================================================================
# Surrogates
# =============================================================================
ok("surrogate_pair", b'"\\ud83d\\ude00"', "\U0001f600")
ok("surrogate_pair_upper", b'"\\uD834\\uDD1E"', "\U0001d11e")
ok("surrogate_pair_first_astral", b'"\\ud800\\udc00"', "\U00010000")
ok("surrogate_pair_last_astral", b'"\\udbff\\udfff"', "\U0010ffff")
ok("surrogate_pair_in_text", b'"a\\ud83d\\ude00b"', "a\U0001f600b")
ok("surrogate_pairs_adjacent", b'"\\ud83d\\ude00\\ud83d\\ude01"', "\U0001f600\U0001f601")
err("surrogate_lone_high", b'"\\ud800"', "lone surrogate \\ud800", 1)
err("surrogate_lone_low", b'"\\udc00"', "lone surrogate \\udc00", 1)
err("surrogate_lone_high_upper", b'"\\uDBFF"', "lone surrogate \\udbff", 1)
err("surrogate_high_then_text", b'"\\ud800abc"', "lone surrogate \\ud800", 1)
err("surrogate_high_then_bmp_escape", b'"\\ud800\\u0041"', "lone surrogate \\ud800", 1)
err("surrogate_high_then_high", b'"\\ud800\\ud800"', "lone surrogate \\ud800", 1)
err("surrogate_inverted", b'"\\udc00\\ud800"', "lone surrogate \\udc00", 1)
err("surrogate_high_then_short_escape", b'"\\ud800\\n"', "lone surrogate \\ud800", 1)
err("surrogate_high_at_string_end", b'["x\\ud83d"]', "lone surrogate \\ud83d", 3)
err("surrogate_low_after_pair", b'"\\ud83d\\ude00\\ude00"', "lone surrogate \\ude00", 13)
err("surrogate_lone_in_key", b'{"\\udfaa":0}', "lone surrogate \\udfaa", 2)

# =============================================================================
# Raw UTF-8 (valid)
# =============================================================================
ok("utf8_two_byte", '"é"', "é")
ok("utf8_two_byte_min", b'"\xc2\x80"', "\x80")
ok("utf8_two_byte_max", b'"\xdf\xbf"', "\u07ff")
ok("utf8_three_byte_min", b'"\xe0\xa0\x80"', "\u0800")
ok("utf8_three_byte", '"€"', "€")
ok("utf8_before_surrogates", b'"\xed\x9f\xbf"', "\ud7ff")
ok("utf8_after_surrogates", b'"\xee\x80\x80"', "\ue000")
ok("utf8_three_byte_max", b'"\xef\xbf\xbf"', "\uffff")
ok("utf8_four_byte_min", b'"\xf0\x90\x80\x80"', "\U00010000")
ok("utf8_four_byte", '"😀"', "😀")
ok("utf8_four_byte_max", b'"\xf4\x8f\xbf\xbf"', "\U0010ffff")
ok("utf8_noncharacter", b'"\xef\xbf\xbe"', "\ufffe")
ok("utf8_mixed_widths", '"aé€😀"', "aé€😀")
ok("utf8_bom_inside_string", b'"\xef\xbb\xbf"', "\ufeff")
ok("utf8_u2028", '"\u2028\u2029"', "\u2028\u2029")
ok("utf8_key", '{"ключ":"значение"}', {"ключ": "значение"})
ok("utf8_long_after_ascii", '"' + "a" * 33 + "é" * 50 + '"', "a" * 33 + "é" * 50)

# =============================================================================
# Invalid UTF-8: every class, in values, keys and after other text
# =============================================================================
CONT = "continuation byte without a lead byte"
OVERLONG = "overlong encoding"
SURR = "encoded surrogate"
ABOVE = "above U+10FFFF"
NOTLEAD = "not a UTF-8 lead byte"
TRUNC = "truncated sequence"
err("utf8_stray_continuation_80", b'"\x80"', "invalid UTF-8 byte 0x80 (" + CONT, 1)
err("utf8_stray_continuation_bf", b'"\xbf"', "invalid UTF-8 byte 0xBF (" + CONT, 1)
err("utf8_stray_continuation_after_char", b'"\xc3\xa9\xa9"', "invalid UTF-8 byte 0xA9 (" + CONT, 3)
err("utf8_overlong_c0", b'"\xc0\x80"', "invalid UTF-8 byte 0xC0 (" + OVERLONG, 1)
err("utf8_overlong_c1", b'"\xc1\xbf"', "invalid UTF-8 byte 0xC1 (" + OVERLONG, 1)
err("utf8_overlong_c0_alone", b'"\xc0"', "invalid UTF-8 byte 0xC0 (" + OVERLONG, 1)
err("utf8_overlong_e0_80", b'"\xe0\x80\x80"', "invalid UTF-8 byte 0xE0 (" + OVERLONG, 1)
err("utf8_overlong_e0_9f", b'"\xe0\x9f\xbf"', "invalid UTF-8 byte 0xE0 (" + OVERLONG, 1)
err("utf8_overlong_f0_80", b'"\xf0\x80\x80\x80"', "invalid UTF-8 byte 0xF0 (" + OVERLONG, 1)
err("utf8_overlong_f0_8f", b'"\xf0\x8f\xbf\xbf"', "invalid UTF-8 byte 0xF0 (" + OVERLONG, 1)
err("utf8_surrogate_d800", b'"\xed\xa0\x80"', "invalid UTF-8 byte 0xED (" + SURR, 1)
err("utf8_surrogate_dfff", b'"\xed\xbf\xbf"', "invalid UTF-8 byte 0xED (" + SURR, 1)
err("utf8_surrogate_pair_cesu", b'"\xed\xa0\xbd\xed\xb8\x80"', "invalid UTF-8 byte 0xED (" + SURR, 1)
err("utf8_above_max_f4_90", b'"\xf4\x90\x80\x80"', "invalid UTF-8 byte 0xF4 (" + ABOVE, 1)
err("utf8_above_max_f4_bf", b'"\xf4\xbf\xbf\xbf"', "invalid UTF-8 byte 0xF4 (" + ABOVE, 1)
err("utf8_lead_f5", b'"\xf5\x80\x80\x80"', "invalid UTF-8 byte 0xF5 (" + NOTLEAD, 1)
err("utf8_lead_f8_five_byte", b'"\xf8\x88\x80\x80\x80"', "invalid UTF-8 byte 0xF8 (" + NOTLEAD, 1)
err("utf8_lead_fc_six_byte", b'"\xfc\x84\x80\x80\x80\x80"', "invalid UTF-8 byte 0xFC (" + NOTLEAD, 1)
err("utf8_byte_fe", b'"\xfe"', "invalid UTF-8 byte 0xFE (" + NOTLEAD, 1)
err("utf8_byte_ff", b'"\xff"', "invalid UTF-8 byte 0xFF (" + NOTLEAD, 1)
err("utf8_byte_ff_then_ascii", b'"\xffa"', "invalid UTF-8 byte 0xFF (" + NOTLEAD, 1)
err("utf8_truncated_2_at_quote", b'"\xc3"', "invalid UTF-8 byte 0xC3 (" + TRUNC, 1)
err("utf8_truncated_2_then_ascii", b'"\xc3a"', "invalid UTF-8 byte 0xC3 (" + TRUNC, 1)
err("utf8_truncated_3_one_byte", b'"\xe2"', "invalid UTF-8 byte 0xE2 (" + TRUNC, 1)
err("utf8_truncated_3_two_bytes", b'"\xe2\x82"', "invalid UTF-8 byte 0xE2 (" + TRUNC, 1)
err("utf8_truncated_4_three_bytes", b'"\xf0\x9f\x98"', "invalid UTF-8 byte 0xF0 (" + TRUNC, 1)
err("utf8_truncated_4_then_ascii", b'"\xf0\x9f\x98a"', "invalid UTF-8 byte 0xF0 (" + TRUNC, 1)
err("utf8_two_leads", b'"\xc3\xc3"', "invalid UTF-8 byte 0xC3 (" + TRUNC, 1)
err("utf8_latin1", b'"caf\xe9"', "invalid UTF-8 byte 0xE9 (" + TRUNC, 4)
err("utf8_invalid_in_key", b'{"k\xff":1}', "invalid UTF-8 byte 0xFF (" + NOTLEAD, 3)
err("utf8_invalid_after_long_ascii", b'"' + b"a" * 70 + b'\x80"', "invalid UTF-8 byte 0x80 (" + CONT, 71)
err("utf8_invalid_after_escape", b'"\\n\xc0\xaf"', "invalid UTF-8 byte 0xC0 (" + OVERLONG, 3)
err("utf8_invalid_after_valid", '"é€'.encode() + b'\xed\xa0\x80"', "invalid UTF-8 byte 0xED (" + SURR, 6)
err("utf8_outside_string_valid_char", "é", "expected a value, found 'é'", 0)
err("utf8_outside_string_invalid", b"\xff", "expected a value, found byte 0xFF", 0)
err("utf8_outside_string_after_value", "[1]€", "extra data after the JSON value: '€'", 3)

# =============================================================================
# Control characters in strings
# =============================================================================
err("control_nul", b'"\x00"', "unescaped control character 0x00 in string", 1)
err("control_01", b'"a\x01"', "unescaped control character 0x01 in string", 2)
err("control_tab", b'"\t"', "unescaped control character 0x09 in string", 1)
err("control_newline", b'"a\nb"', "unescaped control character 0x0A in string", 2)
err("control_cr", b'"\r"', "unescaped control character 0x0D in string", 1)
err("control_1f", b'"\x1f"', "unescaped control character 0x1F in string", 1)
err("control_in_key", b'{"a\x1fb":1}', "unescaped control character 0x1F in string", 3)
err("control_after_long_ascii", b'"' + b"a" * 100 + b'\x02"', "unescaped control character 0x02 in string", 101)
err("control_after_non_ascii", '"é'.encode() + b'\x07"', "unescaped control character 0x07 in string", 3)

# =============================================================================
# Unterminated strings (pos: the opening quote)
# =============================================================================
err("unterminated_empty", b'"', "unterminated string", 0)
err("unterminated_text", b'"abc', "unterminated string", 0)
err("unterminated_in_array", b'[1,"abc', "unterminated string", 3)
err("unterminated_escaped_quote", b'"abc\\"', "unterminated string", 0)
err("unterminated_backslash_at_end", b'"abc\\', "unterminated string", 0)
err("unterminated_key", b'{"abc', "unterminated string", 1)
err("unterminated_long", b'"' + b"a" * 200, "unterminated string", 0)
err("unterminated_non_ascii", '["é', "unterminated string", 1)

# =============================================================================
# Whitespace
# =============================================================================
ok("ws_around_value", b" \t\n\r1 \t\n\r", 1)
ok("ws_everywhere_array", b"[ 1 , 2 ]", [1, 2])
ok("ws_everywhere_object", b'{ "a" : 1 , "b" : [ ] }', {"a": 1, "b": []})
ok("ws_newlines_indent", b'{\n  "a": [\n    1,\n    2\n  ]\n}\n', {"a": [1, 2]})
ok("ws_crlf", b'[\r\n1\r\n]\r\n', [1])
ok("ws_tabs", b'\t[\t1\t,\t2\t]\t', [1, 2])
ok("ws_long_run", b" " * 1000 + b"[]" + b" " * 1000, [])
ok("ws_empty_array_inside", b"[\n]", [])
ok("ws_empty_object_inside", b"{\t}", {})
err("ws_vertical_tab", b"\x0b1", "expected a value, found byte 0x0B", 0)
err("ws_form_feed", b"\x0c1", "expected a value, found byte 0x0C", 0)
err("ws_form_feed_after", b"1\x0c", "extra data after the JSON value: byte 0x0C", 1)
err("ws_nbsp", "\u00a01", "expected a value, found '\u00a0'", 0)
err("ws_line_separator", "[1,\u20282]", "expected a value, found '\u2028'", 3)
err("ws_ideographic_space", "\u30001", "expected a value, found '\u3000'", 0)
err("ws_nul_inside_array", b"[1,\x002]", "expected a value, found byte 0x00", 3)

# =============================================================================
# Arrays
# =============================================================================
ok("array_empty", b"[]", [])
ok("array_one", b"[1]", [1])
ok("array_many", b"[1,2,3,4,5]", [1, 2, 3, 4, 5])
ok("array_mixed", b'[1,"a",true,null,1.5,{},[]]', [1, "a", True, None, 1.5, {}, []])
ok("array_nested", b"[[[]]]", [[[]]])
ok("array_nested_values", b"[1,[2,[3,[4]]]]", [1, [2, [3, [4]]]])
ok("array_long", b"[" + b",".join(b"%d" % i for i in range(1000)) + b"]", list(range(1000)))
ok("array_of_strings", b'["a","b","c"]', ["a", "b", "c"])
err("array_unclosed", b"[", "expected a value, found end of data", 1)
err("array_unclosed_after_value", b"[1", "expected ',' or ']' after array element, found end of data", 2)
err("array_unclosed_after_comma", b"[1,", "expected a value, found end of data", 3)
err("array_trailing_comma", b"[1,]", "trailing comma before ']'", 2)
err("array_trailing_comma_ws", b"[1 , ]", "trailing comma before ']'", 3)
err("array_trailing_comma_nested", b"[[1],]", "trailing comma before ']'", 4)
err("array_leading_comma", b"[,1]", "expected a value, found ','", 1)
err("array_only_comma", b"[,]", "expected a value, found ','", 1)
err("array_double_comma", b"[1,,2]", "expected a value, found ','", 3)
err("array_missing_comma", b"[1 2]", "expected ',' or ']' after array element, found '2'", 3)
err("array_missing_comma_strings", b'["a" "b"]', "expected ',' or ']' after array element, found '\"'", 5)
err("array_colon", b"[1:2]", "expected ',' or ']' after array element, found ':'", 2)
err("array_closed_by_brace", b"[1}", "expected ',' or ']' after array element, found '}'", 2)
err("array_empty_closed_by_brace", b"[}", "expected a value, found '}'", 1)
err("array_close_alone", b"]", "expected a value, found ']'", 0)
err("array_extra_close", b"[1]]", "extra data after the JSON value: ']'", 3)
err("array_semicolon", b"[1;2]", "expected ',' or ']' after array element, found ';'", 2)

# =============================================================================
# Objects
# =============================================================================
ok("object_empty", b"{}", {})
ok("object_one", b'{"a":1}', {"a": 1})
ok("object_many", b'{"a":1,"b":2,"c":3}', {"a": 1, "b": 2, "c": 3})
ok("object_key_order", b'{"z":1,"a":2,"m":3}', {"z": 1, "a": 2, "m": 3})
ok("object_nested", b'{"a":{"b":{"c":{}}}}', {"a": {"b": {"c": {}}}})
ok("object_empty_key", b'{"":0}', {"": 0})
ok("object_escaped_key", b'{"\\u0061\\n":1}', {"a\n": 1})
ok("object_duplicate_last_wins", b'{"a":1,"a":2}', {"a": 2})
ok("object_duplicate_keeps_first_position", b'{"a":1,"b":2,"a":3}', {"a": 3, "b": 2})
ok("object_duplicate_via_escape", b'{"a":1,"\\u0061":2}', {"a": 2})
ok("object_values_all_types", b'{"s":"x","i":1,"f":0.5,"t":true,"n":null,"l":[],"o":{}}',
   {"s": "x", "i": 1, "f": 0.5, "t": True, "n": None, "l": [], "o": {}})
ok("object_long_key", b'{"' + b"k" * 100 + b'":1}', {"k" * 100: 1})
ok("object_many_keys", b"{" + b",".join(b'"k%d":%d' % (i, i) for i in range(300)) + b"}",
   {"k%d" % i: i for i in range(300)})
err("object_unclosed", b"{", "expected '\"' to start an object key, found end of data", 1)
err("object_unclosed_after_key", b'{"a"', "expected ':' after object key, found end of data", 4)
err("object_unclosed_after_colon", b'{"a":', "expected a value, found end of data", 5)
err("object_unclosed_after_value", b'{"a":1', "expected ',' or '}' after object member, found end of data", 6)
err("object_unclosed_after_comma", b'{"a":1,', "expected '\"' to start an object key, found end of data", 7)
err("object_trailing_comma", b'{"a":1,}', "trailing comma before '}'", 6)
err("object_trailing_comma_ws", b'{"a":1 , }', "trailing comma before '}'", 7)
err("object_only_comma", b"{,}", "expected '\"' to start an object key, found ','", 1)
err("object_leading_comma", b'{,"a":1}', "expected '\"' to start an object key, found ','", 1)
err("object_double_comma", b'{"a":1,,"b":2}', "expected '\"' to start an object key, found ','", 7)
err("object_number_key", b"{1:1}", "expected '\"' to start an object key, found '1'", 1)
err("object_bare_key", b"{a:1}", "expected '\"' to start an object key, found 'a'", 1)
err("object_single_quoted_key", b"{'a':1}", "expected '\"' to start an object key, found \"'\"", 1)
err("object_null_key", b"{null:1}", "expected '\"' to start an object key, found 'n'", 1)
err("object_missing_colon", b'{"a" 1}', "expected ':' after object key, found '1'", 5)
err("object_equals_instead_of_colon", b'{"a"=1}', "expected ':' after object key, found '='", 4)
err("object_double_colon", b'{"a"::1}', "expected a value, found ':'", 5)
err("object_missing_value", b'{"a":}', "expected a value, found '}'", 5)
err("object_missing_comma", b'{"a":1 "b":2}', "expected ',' or '}' after object member, found '\"'", 7)
err("object_key_only", b'{"a"}', "expected ':' after object key, found '}'", 4)
err("object_closed_by_bracket", b'{"a":1]', "expected ',' or '}' after object member, found ']'", 6)
err("object_array_as_key", b'{["a"]:1}', "expected '\"' to start an object key, found '['", 1)
err("object_extra_close", b"{}}", "extra data after the JSON value: '}'", 2)
err("object_non_ascii_key_start", '{é:1}', "expected '\"' to start an object key, found 'é'", 1)

# =============================================================================
# Nesting
# =============================================================================
ok("nesting_arrays_100", b"[" * 100 + b"]" * 100, eval("[" * 100 + "]" * 100))
ok("nesting_objects_50", b'{"a":' * 50 + b"1" + b"}" * 50, eval('{"a":' * 50 + "1" + "}" * 50))
ok("nesting_mixed", b'[{"a":[{"b":[1]}]}]', [{"a": [{"b": [1]}]}])
ok("nesting_1024", b"[" * 1024 + b"]" * 1024, _nested_lists(1024))
err("nesting_1025", b"[" * 1025 + b"]" * 1025, "nesting depth exceeds 1024", 1024)
err("nesting_1025_objects", b'{"a":' * 1025 + b"1" + b"}" * 1025, "nesting depth exceeds 1024", 5 * 1024)
err("nesting_unclosed_inner", b"[[[1]]", "expected ',' or ']' after array element, found end of data", 6)
err("nesting_mismatched", b'[{"a":1]}', "expected ',' or '}' after object member, found ']'", 7)

# =============================================================================
# Document level
# =============================================================================
err("document_empty", b"", "empty document", 0)
err("document_whitespace_only", b"   ", "expected a value, found end of data", 3)
err("document_newline_only", b"\n", "expected a value, found end of data", 1)
err("document_bom", b"\xef\xbb\xbf{}", "byte order mark is not allowed at the start of JSON", 0)
err("document_bom_only", b"\xef\xbb\xbf", "byte order mark is not allowed at the start of JSON", 0)
err("document_bom_after_space", b" \xef\xbb\xbf1", "expected a value, found '\ufeff'", 1)
err("document_utf16_bom", b"\xfe\xff\x00[", "expected a value, found byte 0xFE", 0)
err("document_two_values", b"1 2", "extra data after the JSON value: '2'", 2)
err("document_two_arrays", b"[] []", "extra data after the JSON value: '['", 3)
err("document_two_strings", b'"a""b"', "extra data after the JSON value: '\"'", 3)
err("document_value_comma", b"1,", "extra data after the JSON value: ','", 1)
err("document_trailing_nul", b"[1]\x00", "extra data after the JSON value: byte 0x00", 3)
err("document_comment_line", b"[1] // c", "extra data after the JSON value: '/'", 4)
err("document_comment_block", b"/* c */ 1", "expected a value, found '/'", 0)
err("document_comment_in_array", b"[1,/*x*/2]", "expected a value, found '/'", 3)
err("document_single_quoted_string", b"'a'", "expected a value, found \"'\"", 0)
err("document_garbage_after_ws", b"{} \n x", "extra data after the JSON value: 'x'", 5)
ok("document_scalar_string", b'"top"', "top")
ok("document_scalar_number_ws", b"\n42\n", 42)
ok("document_nul_escape_value", b'["\\u0000"]', ["\x00"])

assert len({c.name for c in CASES}) == len(CASES), "duplicate case names"
