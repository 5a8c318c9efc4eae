package dev.sourcevitess.domain.model;

/** Where a column writes its JSON value; the protocol adapter streams these straight out. */
public interface ValueWriter {
  void writeNull();

  void writeBoolean(boolean value);

  void writeNumber(long value);

  /** A JSON number literal in ASCII, already in JSON's form. */
  void writeNumber(byte[] ascii, int offset, int length);

  void writeString(String value);

  /** A string given as UTF-8 bytes (the writer escapes it). */
  void writeUtf8String(byte[] utf8, int offset, int length);

  /**
   * A MySQL DATETIME or TIMESTAMP text ({@code 2024-05-01 12:00:00.5}) as an ISO 8601 string: the
   * space becomes {@code T}, and {@code Z} is appended when {@code utc}. Writers that own a buffer
   * override this to spare the array made here.
   */
  default void writeDateTime(byte[] text, int offset, int length, boolean utc) {
    byte[] iso = new byte[length + 1];
    writeUtf8String(iso, 0, isoDateTime(text, offset, length, utc, iso));
  }

  /** Writes the ISO form of a DATETIME text into {@code iso} (room for length + 1); returns its length. */
  static int isoDateTime(byte[] text, int offset, int length, boolean utc, byte[] iso) {
    System.arraycopy(text, offset, iso, 0, length);
    if (length > 10 && iso[10] == ' ') {
      iso[10] = 'T';
    }
    if (utc) {
      iso[length] = 'Z';
    }
    return utc ? length + 1 : length;
  }

  /** Bytes as a base64 string. */
  void writeBase64(byte[] bytes, int offset, int length);
}
