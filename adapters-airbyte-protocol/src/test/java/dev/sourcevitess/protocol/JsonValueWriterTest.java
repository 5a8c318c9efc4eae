package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonValueWriterTest {

  @ParameterizedTest
  @CsvSource({"0,true", "-0,true", "42,true", "-12.50,true", "1e20,true", "1.5E-7,true", "-1.7976931348623157e+308,true",
      "18446744073709551615,true", "'',false", "-,false", "01,false", ".5,false", "5.,false", "1e,false", "1e+,false",
      "+1,false", "1.2.3,false", "NaN,false", "inf,false", "'1 ',false", "0x10,false"})
  void knowsJsonNumbers(String text, boolean valid) {
    byte[] padded = ("##" + text + "##").getBytes(StandardCharsets.US_ASCII);
    assertEquals(valid, JsonValueWriter.isJsonNumber(padded, 2, text.length()), text);
  }

  @ParameterizedTest
  @CsvSource({
      "'',true", "616263,true", "c3a9,true", "e282ac,true", "f09f9880,true", "f48fbfbf,true", "7f,true",
      "ff,false", "c0af,false", "c1bf,false", "e080af,false", "eda080,false", "f4908080,false", "f5808080,false",
      "c3,false", "e282,false", "f09f98,false", "80,false", "c328,false", "61e2,false"})
  void knowsWellFormedUtf8(String hex, boolean valid) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    byte[] padded = new byte[bytes.length + 4];
    // padding that would complete a truncated sequence, to prove the length is respected
    java.util.Arrays.fill(padded, (byte) 0x80);
    System.arraycopy(bytes, 0, padded, 2, bytes.length);
    assertEquals(valid, JsonValueWriter.isUtf8(padded, 2, bytes.length), hex);
  }
}
