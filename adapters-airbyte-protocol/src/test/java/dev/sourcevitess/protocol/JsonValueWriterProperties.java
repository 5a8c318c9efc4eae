package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

/** The record writer writes its own JSON: it must be the JSON Jackson writes, byte for byte. */
class JsonValueWriterProperties {
  private final OutputBuffer buffer = new OutputBuffer(OutputStream.nullOutputStream());
  private final JsonValueWriter writer = new JsonValueWriter(buffer);

  private String written() {
    String text = new String(buffer.bytes, 0, buffer.length, StandardCharsets.UTF_8);
    buffer.length = 0;
    return text;
  }

  private static String jackson(JsonGeneratorCall call) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = new JsonFactory().createGenerator(out)) {
      call.write(generator);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private interface JsonGeneratorCall {
    void write(JsonGenerator generator) throws IOException;
  }

  /** Text of any characters but lone surrogates (which no UTF-8 row can hold), escapes weighted in. */
  @Property
  void textIsEscapedAsJacksonEscapesIt(
      @ForAll @Chars({'"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '\u2028'})
      @CharRange(from = ' ', to = '~') @CharRange(from = '\u0080', to = '\ud7ff')
      @CharRange(from = '\ue000', to = '\uffff') String text) throws IOException {
    String expected = jackson(g -> g.writeString(text));
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    writer.writeUtf8String(utf8, 0, utf8.length);
    assertEquals(expected, written());
    writer.writeString(text);
    assertEquals(expected, written());
  }

  @Property
  void anyBytesBecomeTheTextJavaDecodesFromThem(@ForAll byte[] bytes) throws IOException {
    byte[] padded = new byte[bytes.length + 2];
    System.arraycopy(bytes, 0, padded, 1, bytes.length);
    writer.writeUtf8String(padded, 1, bytes.length);
    String json = written();
    assertEquals(new String(bytes, StandardCharsets.UTF_8), new ObjectMapper().readValue(json, String.class));
  }

  @Property
  void longsAreWrittenAsJavaWritesThem(@ForAll long value) {
    writer.writeNumber(value);
    assertEquals(Long.toString(value), written());
  }

  @Property
  void bytesAreBase64AsJacksonWritesThem(@ForAll byte[] bytes) throws IOException {
    writer.writeBase64(bytes, 0, bytes.length);
    assertEquals(jackson(g -> g.writeBinary(bytes)), written());
  }

  @Property
  void aRewindTakesBackWhatWasWritten(@ForAll String before, @ForAll byte[] after) {
    writer.writeString(before);
    String kept = new String(buffer.bytes, 0, buffer.length, StandardCharsets.UTF_8);
    int mark = writer.mark();
    writer.writeUtf8String(after, 0, after.length);
    writer.rewind(mark);
    assertEquals(kept, written());
  }
}
