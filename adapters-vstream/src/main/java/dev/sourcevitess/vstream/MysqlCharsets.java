package dev.sourcevitess.vstream;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * MySQL's character sets by collation id, as FIELD events give them in {@code charset}: the
 * tablets send text in the column's own character set (vstreamer reads with {@code set names
 * binary}). Ids as MySQL numbers them (information_schema.collations), which Vitess uses too.
 */
final class MysqlCharsets {
  /** The binary pseudo-collation: bytes, no character set. */
  static final int BINARY = 63;

  /** What a collation id says about its text. */
  sealed interface Text {}

  /** UTF-8, or a subset of it (ASCII); also binary strings, passed on as they are. */
  record Utf8() implements Text {}

  /** Text to decode with {@code charset}. */
  record Decoded(Charset charset) implements Text {}

  /** A collation with no decoder here; {@code name} says which character set, when known. */
  record Unknown(String name) implements Text {}

  private static final Map<Integer, String> CHARSET_BY_COLLATION = table();

  private MysqlCharsets() {}

  private static Map<Integer, String> table() {
    Map<Integer, String> table = new HashMap<>();
    Adder add = (charset, ids) -> {
      for (int id : ids) {
        table.put(id, charset);
      }
    };
    Adder addRange = (charset, range) -> {
      for (int id = range[0]; id <= range[1]; id++) {
        table.put(id, charset);
      }
    };
    add.put("binary", 63);
    add.put("ascii", 11, 65);
    add.put("utf8mb3", 33, 76, 83);
    addRange.put("utf8mb3", 192, 215);
    add.put("utf8mb4", 45, 46);
    addRange.put("utf8mb4", 224, 247);
    // MySQL 8's utf8mb4_0900_* and later collations
    addRange.put("utf8mb4", 255, 323);
    add.put("latin1", 5, 8, 15, 31, 47, 48, 49, 94);
    add.put("latin2", 2, 9, 21, 27, 77);
    add.put("latin5", 30, 78);
    add.put("latin7", 20, 41, 42, 79);
    add.put("cp1250", 26, 34, 44, 66, 99);
    add.put("cp1251", 14, 23, 50, 51, 52);
    add.put("cp1256", 57, 67);
    add.put("cp1257", 29, 58, 59);
    add.put("cp850", 4, 80);
    add.put("cp852", 40, 81);
    add.put("cp866", 36, 68);
    add.put("greek", 25, 70);
    add.put("hebrew", 16, 71);
    add.put("koi8r", 7, 74);
    add.put("koi8u", 22, 75);
    add.put("macroman", 39, 53);
    add.put("macce", 38, 43);
    add.put("tis620", 18, 89);
    add.put("sjis", 13, 88);
    add.put("cp932", 95, 96);
    add.put("ujis", 12, 91);
    add.put("eucjpms", 97, 98);
    add.put("euckr", 19, 85);
    add.put("gb2312", 24, 86);
    add.put("gbk", 28, 87);
    add.put("gb18030", 248, 249, 250);
    add.put("big5", 1, 84);
    add.put("ucs2", 35, 90, 159);
    addRange.put("ucs2", 128, 151);
    add.put("utf16", 54, 55);
    addRange.put("utf16", 101, 124);
    add.put("utf16le", 56, 62);
    add.put("utf32", 60, 61);
    addRange.put("utf32", 160, 183);
    // character sets Java has no decoder for: named, so the failure can say which
    add.put("dec8", 3, 69);
    add.put("hp8", 6, 72);
    add.put("swe7", 10, 82);
    add.put("armscii8", 32, 64);
    add.put("keybcs2", 37, 73);
    add.put("geostd8", 92, 93);
    return Map.copyOf(table);
  }

  private interface Adder {
    void put(String charset, int... ids);
  }

  /** How text of collation {@code id} is to be read. */
  static Text text(int id) {
    String name = CHARSET_BY_COLLATION.get(id);
    if (name == null) {
      return new Unknown(null);
    }
    return switch (name) {
      case "binary", "ascii", "utf8mb3", "utf8mb4" -> new Utf8();
      case "latin1" -> new Decoded(MysqlLatin1.INSTANCE);
      case "ucs2", "utf16" -> new Decoded(StandardCharsets.UTF_16BE);
      case "utf16le" -> new Decoded(StandardCharsets.UTF_16LE);
      case "dec8", "hp8", "swe7", "armscii8", "keybcs2", "geostd8" -> new Unknown(name);
      default -> javaCharset(name);
    };
  }

  private static Text javaCharset(String name) {
    String java = switch (name) {
      case "latin2" -> "ISO-8859-2";
      case "latin5" -> "ISO-8859-9";
      case "latin7" -> "ISO-8859-13";
      case "cp1250" -> "windows-1250";
      case "cp1251" -> "windows-1251";
      case "cp1256" -> "windows-1256";
      case "cp1257" -> "windows-1257";
      case "cp850" -> "IBM850";
      case "cp852" -> "IBM852";
      case "cp866" -> "IBM866";
      case "greek" -> "ISO-8859-7";
      case "hebrew" -> "ISO-8859-8";
      case "koi8r" -> "KOI8-R";
      case "koi8u" -> "KOI8-U";
      case "macroman" -> "x-MacRoman";
      case "macce" -> "x-MacCentralEurope";
      case "tis620" -> "TIS-620";
      case "sjis" -> "Shift_JIS";
      case "cp932" -> "windows-31j";
      case "ujis" -> "EUC-JP";
      case "eucjpms" -> "x-eucJP-Open";
      case "euckr" -> "EUC-KR";
      case "gb2312" -> "GB2312";
      case "gbk" -> "GBK";
      case "gb18030" -> "GB18030";
      case "big5" -> "Big5";
      case "utf32" -> "UTF-32";
      default -> throw new IllegalStateException("no Java name for MySQL charset " + name);
    };
    return Charset.isSupported(java) ? new Decoded(Charset.forName(java)) : new Unknown(name);
  }

  /**
   * MySQL's latin1, which is Windows-1252 but for the five bytes that code page leaves undefined
   * (0x81, 0x8D, 0x8F, 0x90, 0x9D): MySQL maps them to the control characters of the same number,
   * where Java's windows-1252 would give U+FFFD.
   */
  static final class MysqlLatin1 extends Charset {
    static final MysqlLatin1 INSTANCE = new MysqlLatin1();
    /** The character of each byte. */
    private static final String CHARS = chars();

    private MysqlLatin1() {
      super("x-mysql-latin1", null);
    }

    private static String chars() {
      byte[] all = new byte[256];
      for (int b = 0; b < 256; b++) {
        all[b] = (byte) b;
      }
      char[] chars = new String(all, Charset.forName("windows-1252")).toCharArray();
      for (int b = 0; b < 256; b++) {
        if (chars[b] == '\uFFFD') {
          chars[b] = (char) b;
        }
      }
      return new String(chars);
    }

    @Override
    public boolean contains(Charset other) {
      return other == this || other.equals(StandardCharsets.US_ASCII);
    }

    @Override
    public CharsetDecoder newDecoder() {
      return new CharsetDecoder(this, 1f, 1f) {
        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
          while (in.hasRemaining()) {
            if (!out.hasRemaining()) {
              return CoderResult.OVERFLOW;
            }
            out.put(CHARS.charAt(in.get() & 0xFF));
          }
          return CoderResult.UNDERFLOW;
        }
      };
    }

    /** Only read here, never written. */
    @Override
    public boolean canEncode() {
      return false;
    }

    @Override
    public CharsetEncoder newEncoder() {
      throw new UnsupportedOperationException("x-mysql-latin1 is only decoded");
    }
  }
}
