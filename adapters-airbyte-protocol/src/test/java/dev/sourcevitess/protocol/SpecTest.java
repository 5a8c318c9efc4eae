package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sourcevitess.domain.model.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules Airbyte applies to a connector's spec, checked on ours. */
class SpecTest {
  private static final Set<String> FORBIDDEN = Set.of("$ref", "anyOf", "allOf", "not", "if", "patternProperties");
  private static final Set<String> FIELDS = Set.of("host", "port", "grpc_port", "database", "username", "password",
      "tls_mode", "replication_method", "shards", "use_replica", "use_rdonly", "include_metadata", "starting_gtids",
      "max_retries", "timeout_seconds", "use_gtid_with_table_pks", "options", "cells", "concurrency",
      "ca_certificate", "client_certificate", "client_key", "client_key_password");

  private final JsonNode spec;

  SpecTest() throws Exception {
    CountingOutputStream stdout = new CountingOutputStream();
    AirbyteProtocol.create(stdout, Clock.systemUTC()).spec();
    spec = new ObjectMapper().readTree(stdout.text()).at("/spec/connectionSpecification");
  }

  @Test
  void declaresEveryConfigFieldWithTitleDescriptionAndUniqueOrder() {
    JsonNode properties = spec.get("properties");
    Set<String> names = new HashSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    assertEquals(FIELDS, names);
    Set<Integer> orders = new HashSet<>();
    for (Map.Entry<String, JsonNode> p : properties.properties()) {
      JsonNode property = p.getValue();
      assertTrue(property.path("title").isTextual(), p.getKey());
      assertTrue(property.path("description").asText().length() > 30, p.getKey() + " needs a useful description");
      assertTrue(property.path("type").isTextual(), p.getKey());
      assertTrue(orders.add(property.path("order").asInt(-1)), p.getKey() + " has a missing or repeated order");
    }
  }

  @Test
  void followsAirbytesSpecRules() {
    List<String> problems = new ArrayList<>();
    walk(spec, "", problems);
    assertEquals(List.of(), problems);
    assertTrue(spec.at("/properties/password/airbyte_secret").booleanValue());
    assertTrue(spec.at("/properties/client_key/airbyte_secret").booleanValue());
    assertTrue(spec.at("/properties/client_key_password/airbyte_secret").booleanValue());
    assertTrue(spec.at("/properties/ca_certificate/airbyte_secret").isMissingNode(), "a CA certificate is public");
    assertEquals("[\"verify_identity\",\"required\",\"disabled\"]", spec.at("/properties/tls_mode/enum").toString());
    assertEquals("verify_identity", spec.at("/properties/tls_mode/default").asText());
    assertEquals("[\"VSTREAM\",\"STANDARD\"]", spec.at("/properties/replication_method/enum").toString());
    assertEquals("VSTREAM", spec.at("/properties/replication_method/default").asText());
    assertEquals("boolean", spec.at("/properties/options/properties/do_not_treat_tiny_int_as_boolean/type").asText());
    assertEquals(1, spec.at("/properties/concurrency/minimum").asInt());
    assertEquals(64, spec.at("/properties/concurrency/maximum").asInt());
    assertEquals(4, spec.at("/properties/concurrency/default").asInt());
    assertTrue(spec.at("/properties/starting_gtids/description").asText().contains("{\"keyspace\": {\"-\": \"MySQL56/"));
    assertTrue(spec.at("/properties/starting_gtids/description").asText().contains("\"MariaDB/0-100-57\""));
    assertTrue(spec.at("/properties/cells/description").asText().contains("planetscale_operator_default"));
  }

  /** The parser and the spec agree on every number's range, and no number is unbounded. */
  @Test
  void everyNumberHasTheParsersRange(@TempDir Path dir) throws Exception {
    AirbyteProtocol protocol = AirbyteProtocol.create(new CountingOutputStream(), Clock.systemUTC());
    for (Map.Entry<String, JsonNode> p : spec.get("properties").properties()) {
      if (!p.getValue().path("type").asText().equals("integer")) {
        continue;
      }
      String field = p.getKey();
      assertTrue(p.getValue().has("minimum") && p.getValue().has("maximum"), field + " needs a minimum and a maximum");
      long max = p.getValue().get("maximum").asLong();
      long min = p.getValue().get("minimum").asLong();
      Path file = dir.resolve(field + ".json");
      for (long value : new long[] {min, max}) {
        Files.writeString(file, base(field, value));
        protocol.parseConfig(file);
      }
      for (long value : new long[] {min - 1, max + 1}) {
        Files.writeString(file, base(field, value));
        SourceException e = assertThrows(SourceException.class, () -> protocol.parseConfig(file), field + "=" + value);
        assertTrue(e.getMessage().contains(field + " must be a whole number from " + min + " to " + max),
            e.getMessage());
      }
    }
  }

  private static String base(String field, long value) {
    return "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"password\": \"p\", \"" + field + "\": "
        + value + "}";
  }

  private static void walk(JsonNode node, String path, List<String> problems) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (FORBIDDEN.contains(e.getKey())) {
          problems.add(path + "/" + e.getKey());
        }
        if (e.getKey().equals("additionalProperties") && e.getValue().isBoolean() && !e.getValue().booleanValue()) {
          problems.add(path + "/additionalProperties: false");
        }
        walk(e.getValue(), path + "/" + e.getKey(), problems);
      }
    } else if (node.isArray()) {
      node.forEach(child -> walk(child, path + "[]", problems));
    }
  }
}
