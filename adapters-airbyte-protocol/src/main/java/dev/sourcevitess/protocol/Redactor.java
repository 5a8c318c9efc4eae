package dev.sourcevitess.protocol;

import dev.sourcevitess.domain.model.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hides the password in text bound for stdout. Drivers and servers echo it in messages we do not
 * control (connection URLs, auth errors), so every message passes through here; the URL-encoded
 * spelling is hidden too, as it appears in connection URLs.
 */
final class Redactor {
  static final String MASK = "******";

  private final AtomicReference<List<String>> secrets = new AtomicReference<>(List.of());

  /** Adds a secret to hide; empty ones are ignored, as replacing "" would mangle every message. */
  synchronized void hide(Secret secret) {
    String value = secret.value();
    if (value.isEmpty()) {
      return;
    }
    List<String> all = new ArrayList<>(secrets.get());
    for (String spelling : List.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8))) {
      if (!all.contains(spelling)) {
        all.add(spelling);
      }
    }
    // longest first, so a secret inside a longer spelling of it is not half-replaced
    all.sort(Comparator.comparingInt(String::length).reversed());
    secrets.set(List.copyOf(all));
  }

  String apply(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets.get()) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
