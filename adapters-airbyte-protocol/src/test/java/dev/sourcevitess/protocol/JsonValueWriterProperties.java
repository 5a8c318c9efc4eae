package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sourcevitess.domain.fake.PropertyInputs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The record writer writes its own JSON: it must be the JSON Jackson writes, byte for byte. */
class JsonValueWriterProperties {
  private final OutputBuffer buffer = new OutputBuffer(OutputStream.nullOutputStream());
  private final JsonValueWriter writer = new JsonValueWriter(buffer);

  private String written() {
    String text = new String(buffer.bytes, 0, buffer.length, StandardCharsets.UTF_8);
    buffer.length = 0;
    return text;
  }

  private static String jackson(JsonGeneratorCall call) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = new JsonFactory().createGenerator(out)) {
      call.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private interface JsonGeneratorCall {
    void write(JsonGenerator generator) throws IOException;
  }

  /**
   * Text of any characters but lone surrogates (which no UTF-8 row can hold), escapes weighted in;
   * half of it mostly printable ASCII, as the writer takes plain ASCII eight bytes at a time and
   * only such text has runs of eight.
   */
  static Gen<String> escapableText() {
    Gen<Character> escapes =
        Generate.pick(List.of('"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '\u2028'));
    Gen<Character> ascii = PropertyInputs.chars(' ', '~');
    Gen<Character> any = Generate.oneOf(escapes, ascii,
        PropertyInputs.chars('\u0080', '\ud7ff'), PropertyInputs.chars('\ue000', '\uffff'));
    Gen<Character> mostlyAscii = Generate.frequency(Pair.of(9, ascii), Pair.of(1, escapes));
    return Generate.oneOf(PropertyInputs.textOf(any, 255), PropertyInputs.textOf(mostlyAscii, 255));
  }

  @Test
  void textIsEscapedAsJacksonEscapesIt() {
    qt().withExamples(1000).withFixedSeed(1).forAll(escapableText()).checkAssert(text -> {
      String expected = jackson(g -> g.writeString(text));
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      writer.writeUtf8String(utf8, 0, utf8.length);
      assertEquals(expected, written());
      writer.writeString(text);
      assertEquals(expected, written());
    });
  }

  @Test
  void anyBytesBecomeTheTextJavaDecodesFromThem() {
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.bytes(255)).checkAssert(bytes -> {
      byte[] padded = new byte[bytes.length + 2];
      System.arraycopy(bytes, 0, padded, 1, bytes.length);
      writer.writeUtf8String(padded, 1, bytes.length);
      String json = written();
      assertEquals(new String(bytes, StandardCharsets.UTF_8), readString(json));
    });
  }

  private static String readString(String json) {
    try {
      return new ObjectMapper().readValue(json, String.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void longsAreWrittenAsJavaWritesThem() {
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.anyLong()).checkAssert(value -> {
      writer.writeNumber(value);
      assertEquals(Long.toString(value), written());
    });
  }

  @Test
  void bytesAreBase64AsJacksonWritesThem() {
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.bytes(255)).checkAssert(bytes -> {
      writer.writeBase64(bytes, 0, bytes.length);
      assertEquals(jackson(g -> g.writeBinary(bytes)), written());
    });
  }

  @Test
  void aRewindTakesBackWhatWasWritten() {
    qt().withExamples(1000).withFixedSeed(1).forAll(PropertyInputs.text(255), PropertyInputs.bytes(255))
        .checkAssert((before, after) -> {
          writer.writeString(before);
          String kept = new String(buffer.bytes, 0, buffer.length, StandardCharsets.UTF_8);
          int mark = writer.mark();
          writer.writeUtf8String(after, 0, after.length);
          writer.rewind(mark);
          assertEquals(kept, written());
        });
  }
}
