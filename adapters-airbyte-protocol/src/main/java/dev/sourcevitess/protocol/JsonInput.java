package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the JSON files Airbyte hands over into trees (the tree model only: no binding to classes)
 * and words what is wrong with them.
 */
final class JsonInput {
  private static final int SHOWN_CHARS = 60;
  private static final int SHOWN_LIMIT_CHARS = 200;
  private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

  /**
   * Trees are built straight from jackson-core's parser: an ObjectMapper costs some 50 ms of
   * class loading and set-up at every start, and its readTree builds the same nodes.
   */
  private final JsonFactory factory = new JsonFactory();
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  JsonInput() {}

  /**
   * The file's JSON tree; {@link MissingNode} when the file holds nothing but white space.
   *
   * @param what the file's role, as the user knows it ("config", "configured catalog", "state")
   * @param quoteParser whether the parser's own message may be shown; false for files holding
   *     secrets, since it can quote the text around the error
   */
  JsonNode read(Path file, String what, String expected, boolean quoteParser) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw SourceException.config("The " + what + " file " + file + " is a directory; expected " + expected + ".");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw SourceException.config("The " + what + " file " + file + " does not exist; expected " + expected + ".");
    } catch (AccessDeniedException e) {
      throw SourceException.config("The " + what + " file " + file + " cannot be read: permission denied.");
    } catch (IOException e) {
      throw new SourceException(FailureType.CONFIG_ERROR,
          "The " + what + " file " + file + " cannot be read: " + e.getMessage() + ".", e.toString(), e);
    }
    return parse(bytes, "The " + what + " file " + file, expected, quoteParser);
  }

  /** Parses {@code text}, naming it {@code subject} in messages. */
  JsonNode parse(byte[] bytes, String subject, String expected, boolean quoteParser) {
    try (JsonParser parser = factory.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return MissingNode.getInstance();
      }
      JsonNode node = value(parser, first);
      // trailing garbage after the document is as much a mistake as a syntax error
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after the value");
      }
      return node;
    } catch (StreamConstraintsException e) {
      // valid JSON, refused for its size: say which limit (the text names lengths, never content)
      throw SourceException.config(subject + " holds a value larger than this connector reads ("
          + shorten(e.getOriginalMessage(), SHOWN_LIMIT_CHARS)
          + "); no field needs one that large, so check what wrote the file.");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why = quoteParser ? ": " + shorten(e.getOriginalMessage()) : "";
      throw SourceException.config(subject + " is not valid JSON" + where + why + "; expected " + expected + ".");
    } catch (IOException e) {
      throw SourceException.config(subject + " cannot be read: " + e.getMessage());
    }
  }

  /** The value starting at {@code token}, as ObjectMapper.readTree builds it. */
  private JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        ObjectNode object = nodes.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          object.set(name, value(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY: {
        ArrayNode array = nodes.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t));
        }
        return array;
      }
      case VALUE_STRING:
        return nodes.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return nodes.numberNode(parser.getDoubleValue());
      case VALUE_TRUE:
        return nodes.booleanNode(true);
      case VALUE_FALSE:
        return nodes.booleanNode(false);
      case VALUE_NULL:
        return nodes.nullNode();
      default:
        throw new JsonParseException(parser, "Unexpected token " + token);
    }
  }

  /** A short description of a value for "got ..." in messages. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return quote(node.textValue());
    }
    if (node.isNumber()) {
      return "the number " + shorten(node.asText());
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** Like {@link #describe} but never shows the value itself, for secrets. */
  static String describeKind(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return describe(node);
  }

  static String quote(String text) {
    String shown = shorten(text).replace("\\", "\\\\").replace("\"", "\\\"");
    return "\"" + shown + "\"";
  }

  private static String shorten(String text) {
    return shorten(text, SHOWN_CHARS);
  }

  private static String shorten(String text, int chars) {
    String oneLine = text == null ? "" : LINE_BREAKS.matcher(text).replaceAll(" ");
    return oneLine.length() <= chars ? oneLine : oneLine.substring(0, chars) + "...";
  }
}
