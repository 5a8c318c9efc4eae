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
  static final String MASK = Secret.MASK;

  private final AtomicReference<List<Secret>> secrets = new AtomicReference<>(List.of());

  /** Adds a secret to hide; empty ones are ignored, as replacing "" would mangle every message. */
  synchronized void hide(Secret secret) {
    String value = secret.value();
    if (value.isEmpty()) {
      return;
    }
    List<Secret> all = new ArrayList<>(secrets.get());
    for (String spelling : List.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8))) {
      // compared by value: a record's equals is linked through method handles at first use
      if (all.stream().noneMatch(known -> known.value().equals(spelling))) {
        all.add(new Secret(spelling));
      }
    }
    // longest first, so a secret inside a longer spelling of it is not half-replaced
    all.sort(Comparator.comparingInt((Secret s) -> s.value().length()).reversed());
    secrets.set(List.copyOf(all));
  }

  /**
   * Whether {@code text} still holds a secret after {@link #apply}: a short one inside a word,
   * which may be a word or may be the secret glued to other letters.
   */
  boolean mayShowSecret(String text) {
    String masked = apply(text);
    return masked != null && secrets.get().stream().anyMatch(s -> masked.contains(s.value()));
  }

  String apply(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Secret secret : secrets.get()) {
      result = secret.maskIn(result);
    }
    return result;
  }
}
