package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class IbanDetectorTest {

    private static final Detector DETECTOR = new IbanDetector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_iban_recognizer.py (the rows for 37 of its
    // countries, including all the countries this detector must support, and all its free-text rows). The example
    // IBANs are the ones of the SWIFT IBAN registry.
    static Stream<Case> presidio() {
        return Stream.of(
                at("AL47212110090000000235698741", 0, 28),
                at("AL47 2121 1009 0000 0002 3569 8741", 0, 34),
                none("AL47 212A 1009 0000 0002 3569 8741"),
                none("AL47 212A 1009 0000 0002 3569 874"),
                none("AL47 2121 1009 0000 0002 3569 8740"),
                at("AD1200012030200359100100", 0, 24),
                at("AD12 0001 2030 2003 5910 0100", 0, 29),
                none("AD12000A2030200359100100"),
                none("AD12000A203020035910010"),
                none("AD12 0001 2030 2003 5910 0101"),
                at("AT611904300234573201", 0, 20),
                at("AT61 1904 3002 3457 3201", 0, 24),
                none("AT61 1904 A002 3457 3201"),
                none("AT61 1904 3002 3457 320"),
                none("AT61 1904 3002 3457 3202"),
                at("BE68539007547034", 0, 16),
                at("BE71 0961 2345 6769", 0, 19),
                none("BE71 A961 2345 6769"),
                none("BE6853900754703"),
                none("BE71 0961 2345 6760"),
                at("BR9700360305000010009795493P1", 0, 29),
                at("BR97 0036 0305 0000 1000 9795 493P 1", 0, 36),
                none("BR97 0036 A305 0000 1000 9795 493P 1"),
                none("BR9700360305000010009795493P"),
                none("BR97 0036 0305 0000 1000 9795 493P 2"),
                at("CH9300762011623852957", 0, 21),
                at("CH93 0076 2011 6238 5295 7", 0, 26),
                none("CH93 A076 2011 6238 5295 7"),
                none("CH93 0076 2011 6238 5295 8"),
                at("CZ6508000000192000145399", 0, 24),
                at("CZ65 0800 0000 1920 0014 5399", 0, 29),
                none("CZ65 0800 A000 1920 0014 5399"),
                none("CZ65 0800 0000 1920 0014 539"),
                none("CZ65 0800 0000 1920 0014 5390"),
                at("DK5000400440116243", 0, 18),
                at("DK50 0040 0440 1162 43", 0, 22),
                none("DK50 0040 A440 1162 43"),
                none("DK50 0040 0440 1162 4"),
                none("DK50 0040 0440 1162 44"),
                at("EE382200221020145685", 0, 20),
                at("EE38 2200 2210 2014 5685", 0, 24),
                none("EE38 A200 2210 2014 5685"),
                none("EE38 2200 2210  014 5686"),
                at("FI2112345600000785", 0, 18),
                at("FI21 1234 5600 0007 85", 0, 22),
                none("FI21 A234 5600 0007 85"),
                none("FI21 1234 5600 0007 86"),
                at("FR1420041010050500013M02606", 0, 27),
                at("FR14 2004 1010 0505 0001 3M02 606", 0, 33),
                none("FR14 A004 1010 0505 0001 3M02 606"),
                none("FR14 2004 1010 0505 0001 3M02 607"),
                at("DE89370400440532013000", 0, 22),
                at("DE89 3704 0044 0532 0130 00", 0, 27),
                none("DE89 A704 0044 0532 0130 00"),
                none("DE89 3704 0044 0532 0130 01"),
                at("GI75NWBK000000007099453", 0, 23),
                at("GI75 NWBK 0000 0000 7099 453", 0, 28),
                none("GI75 aWBK 0000 0000 7099 453"),
                none("GI75 NWBK 0000 0000 7099 454"),
                at("GR1601101250000000012300695", 0, 27),
                at("GR16 0110 1250 0000 0001 2300 695", 0, 33),
                none("GR16 A110 1250 0000 0001 2300 695"),
                none("GR16 0110 1250 0000 0001 2300 696"),
                at("GT82TRAJ01020000001210029690", 0, 28),
                at("GT82 TRAJ 0102 0000 0012 1002 9690", 0, 34),
                none("G T82 TRAJ 0102 0000 0012 1002 9690"),
                none("GT82 TRAJ 0102 0000 0012 1002 9691"),
                at("HU42117730161111101800000000", 0, 28),
                at("HU42 1177 3016 1111 1018 0000 0000", 0, 34),
                none("HU42 A177 3016 1111 1018 0000 0000"),
                none("HU42 1177 3016 1111 1018 0000 0001"),
                at("IE29AIBK93115212345678", 0, 22),
                at("IE29 AIBK 9311 5212 3456 78", 0, 27),
                none("IE29 AIBK A311 5212 3456 78"),
                none("IE29 AIBK 9311 5212 3456 79"),
                at("IL620108000000099999999", 0, 23),
                at("IL62 0108 0000 0009 9999 999", 0, 28),
                none("IL62 A108 0000 0009 9999 999"),
                none("IL62 0108 0000 0009 9999 990"),
                at("IT60X0542811101000000123456", 0, 27),
                at("IT60 X054 2811 1010 0000 0123 456", 0, 33),
                none("IT60 XW54 2811 1010 0000 0123 456"),
                none("IT60 X054 2811 1010 0000 0123 457"),
                at("KW81CBKU0000000000001234560101", 0, 30),
                at("KW81 CBKU 0000 0000 0000 1234 5601 01", 0, 37),
                none("KW81 aBKU 0000 0000 0000 1234 5601 01"),
                none("KW81 CBKU 0000 0000 0000 1234 5601 02"),
                at("LV80BANK0000435195001", 0, 21),
                at("LV80 BANK 0000 4351 9500 1", 0, 26),
                none("LV80 bANK 0000 4351 9500 1"),
                none("LV80 BANK 0000 4351 9500 2"),
                at("MT84MALT011000012345MTLCAST001S", 0, 31),
                at("MT84 MALT 0110 0001 2345 MTLC AST0 01S", 0, 38),
                none("MT84 MALT A110 0001 2345 MTLC AST0 01S"),
                none("MT84 MALT 0110 0001 2345 MTLC AST0 01T"),
                at("NL91ABNA0417164300", 0, 18),
                at("NL91 ABNA 0417 1643 00", 0, 22),
                none("NL91 1BNA 0417 1643 00"),
                none("NL91 ABNA 0417 1643 01"),
                at("NO9386011117947", 0, 15),
                at("NO93 8601 1117 947", 0, 18),
                none("NO93 A601 1117 947"),
                none("NO93 8601 1117 948"),
                at("PL61109010140000071219812874", 0, 28),
                at("PL61 1090 1014 0000 0712 1981 2874", 0, 34),
                none("PL61 A090 1014 0000 0712 1981 2874"),
                none("PL61 1090 1014 0000 0712 1981 2875"),
                at("PT50000201231234567890154", 0, 25),
                at("PT50 0002 0123 1234 5678 9015 4", 0, 31),
                none("PT50 A002 0123 1234 5678 9015 4"),
                none("PT50 0002 0123 1234 5678 9015 5"),
                at("QA58DOHB00001234567890ABCDEFG", 0, 29),
                at("QA58 DOHB 0000 1234 5678 90AB CDEF G", 0, 36),
                none("QA58 0OHB 0000 1234 5678 90AB CDEF G"),
                none("QA58 DOHB 0000 1234 5678 90AB CDEF H"),
                at("ES9121000418450200051332", 0, 24),
                at("ES91 2100 0418 4502 0005 1332", 0, 29),
                none("ES91 A100 0418 4502 0005 1332"),
                none("ES91 2100 0418 4502 0005 1333"),
                at("SE4550000000058398257466", 0, 24),
                at("SE45 5000 0000 0583 9825 7466", 0, 29),
                none("SE45 A000 0000 0583 9825 7466"),
                none("SE45 5000 0000 0583 9825 7467"),
                at("TR330006100519786457841326", 0, 26),
                at("TR33 0006 1005 1978 6457 8413 26", 0, 32),
                none("TR33 A006 1005 1978 6457 8413 26"),
                none("TR33 0006 1005 1978 6457 8413 27"),
                at("GB29NWBK60161331926819", 0, 22),
                at("GB29 NWBK 6016 1331 9268 19", 0, 27),
                none("GB29 1WBK 6016 1331 9268 19"),
                none("GB29 NWBK 6016 1331 9268 10"),
                at("VA59001123000012345678", 0, 22),
                at("VA59 0011 2300 0012 3456 78", 0, 27),
                none("VA59 A011 2300 0012 3456 78"),
                none("VA59 0011 2300 0012 3456 79"),
                at("VG96VPVG0000012345678901", 0, 24),
                at("VG96 VPVG 0000 0123 4567 8901", 0, 29),
                none("VG96 VPVG A000 0123 4567 8901"),
                none("VG96 VPVG 0000 0123 4567 8902"),
                at("this is an iban VG96 VPVG 0000 0123 4567 8901 in a sentence", 16, 45),
                at("this is an iban VG96 VPVG 0000 0123 4567 8901 X in a sentence", 16, 45),
                none("AB150120690000003111141"),
                none("IL15 0120 6900 0000"),
                none("IL15 0120 6900 0000 3111 0120 6900 0000 3111 141"),
                none("IL150120690000003111141"),
                none("AM47212110090000000235698740"),
                at("list of ibans: AL47212110090000000235698741, AL47212110090000000235698741", 15, 43, 45, 73),
                at("Dash as iban separator: AL47-2121-1009-0000-0002-3569-8741", 24, 58),
                none("Slash as iban separator: AL47/2121/1009/0000/0002/3569/8741"),
                none("Dalla's Pizza | 3843 Peartree Road, Bamblee, SD 20241 440-600-5124"),
                at("AL47212110090000000235698741 ALL CAPS", 0, 28));
    }

    // Cases for the rules of this detector: the ECBS/SWIFT example IBANs GB82 WEST 1234 5698 7654 32 and
    // DE89 3704 0044 0532 0130 00 in free text; one separator kind; upper case; registry lengths; word boundaries
    static Stream<Case> rules() {
        return Stream.of(
                whole("GB82WEST12345698765432"),
                whole("GB82 WEST 1234 5698 7654 32"),
                whole("GB82-WEST-1234-5698-7654-32"),
                of("IBAN: GB82 WEST 1234 5698 7654 32.", "GB82 WEST 1234 5698 7654 32"),
                of("{\"iban\":\"DE89370400440532013000\"}", "DE89370400440532013000"),
                of(
                        "from DE89 3704 0044 0532 0130 00 to GB82 WEST 1234 5698 7654 32",
                        "DE89 3704 0044 0532 0130 00",
                        "GB82 WEST 1234 5698 7654 32"),
                none("gb82 west 1234 5698 7654 32"),
                none("GB82 WEST-1234 5698 7654 32"),
                none("GB82  WEST 1234 5698 7654 32"),
                none("XGB82WEST12345698765432"),
                none("GB82WEST12345698765432X"),
                none("GB82WEST123456987654321"),
                none("GB82 WEST 1234 5698 7654 3"),
                none("US64SVBKUS6S3300958879"),
                none("GB00WEST12345698765432"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presidio")
    void presidioSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
