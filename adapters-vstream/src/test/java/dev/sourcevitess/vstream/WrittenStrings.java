package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.ValueWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Captures, as strings, the values columns write. */
record WrittenStrings(List<String> out) implements ValueWriter {
  @Override
  public void writeNull() {
    out.add(null);
  }

  @Override
  public void writeBoolean(boolean value) {
    out.add(Boolean.toString(value));
  }

  @Override
  public void writeNumber(long value) {
    out.add(Long.toString(value));
  }

  @Override
  public void writeNumber(byte[] ascii, int offset, int length) {
    out.add(new String(ascii, offset, length, StandardCharsets.US_ASCII));
  }

  @Override
  public void writeString(String value) {
    out.add(value);
  }

  @Override
  public void writeUtf8String(byte[] utf8, int offset, int length) {
    out.add(new String(utf8, offset, length, StandardCharsets.UTF_8));
  }

  @Override
  public void writeBase64(byte[] bytes, int offset, int length) {
    out.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, offset, offset + length)));
  }
}
