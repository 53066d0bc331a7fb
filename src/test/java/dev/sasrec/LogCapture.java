package dev.sasrec;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The messages one logger writes while a test runs, through a real log4j2 appender on it: {@code
 * try (LogCapture log = LogCapture.of(SomeClass.class)) { ... log.messages() ... }}.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

  private final Logger logger;
  private final List<String> messages = new ArrayList<>();

  private LogCapture(Logger logger) {
    super("capture-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
    this.logger = logger;
  }

  public static LogCapture of(Class<?> source) {
    LogCapture capture = new LogCapture((Logger) LogManager.getLogger(source));
    capture.start();
    capture.logger.addAppender(capture);
    return capture;
  }

  @Override
  public synchronized void append(LogEvent event) {
    messages.add(event.getMessage().getFormattedMessage());
  }

  public synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    stop();
  }
}
