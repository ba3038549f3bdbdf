package io.github.ailabkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.PublicResponseFields;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a bound response record against the JSON it was bound from, component by component and down
 * every nested record, list and map: each value must equal the JSON member its {@code @JsonProperty}
 * names. Components without {@code @JsonProperty} (the injected request id, log id, error detail and
 * body) are skipped.
 */
public final class RecordJson {
  /** Members that describe the call rather than its result. */
  private static final List<String> CALL_FIELDS = List.of("request_id", "log_id", "error_code", "error_code_str",
      "error_msg", "error_detail", "task_type");

  private RecordJson() {
  }

  /**
   * Asserts that {@code value} holds what {@code json} says.
   *
   * @return how many JSON scalars were compared, so a caller can tell the walk reached the leaves
   */
  public static int assertMatches(Object value, JsonNode json, String where) {
    if (json.isMissingNode() || json.isNull()) {
      assertThat(value).as(where + " (absent)").isIn(null, 0.0, 0L, false);
      return 0;
    }
    if (value instanceof Record record) {
      assertThat(json.isObject()).as(where + " is an object").isTrue();
      int leaves = 0;
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        if (property != null) {
          String name = property.value();
          leaves += assertMatches(read(component, record), json.path(name), where + "." + name);
        }
      }
      return leaves;
    }
    if (value instanceof List<?> list) {
      assertThat(list).as(where).hasSize(json.size());
      int leaves = 0;
      for (int i = 0; i < list.size(); i++) leaves += assertMatches(list.get(i), json.get(i), where + "[" + i + "]");
      return leaves;
    }
    if (value instanceof Map<?, ?> map) {
      assertThat(List.<Object>copyOf(map.keySet())).as(where)
          .containsExactlyElementsOf(json.properties().stream().<Object>map(Map.Entry::getKey).toList());
      int leaves = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        leaves += assertMatches(entry.getValue(), json.get((String) entry.getKey()), where + "." + entry.getKey());
      }
      return leaves;
    }
    if (value instanceof JsonNode node) {
      assertThat(node).as(where).isEqualTo(json);
      return scalars(json);
    }
    if (value instanceof Double number) {
      assertThat(json.isNumber()).as(where + " is a number").isTrue();
      assertThat(number).as(where).isEqualTo(json.doubleValue());
    } else if (value instanceof Long number) {
      assertThat(number).as(where).isEqualTo(json.longValue());
    } else if (value instanceof Boolean flag) {
      assertThat(flag).as(where).isEqualTo(json.booleanValue());
    } else {
      assertThat(value).as(where).isEqualTo(json.textValue());
    }
    return 1;
  }

  /**
   * Asserts that a typed answer holds every value of its answer's result members (all but the members that
   * describe the call), down to the leaves, and that its public fields are a success's.
   *
   * @param body the whole JSON answer the record was bound from
   */
  public static void assertTypedAnswer(PublicResponseFields answer, JsonNode body, String where) {
    assertThat(answer.requestId()).as(where + " request id").isNotEmpty();
    assertThat(answer.errorDetail()).as(where + " error detail").isEqualTo(ErrorDetail.NONE);
    ObjectNode results = body.deepCopy();
    results.remove(CALL_FIELDS);
    assertThat(assertMatches(answer, results, where)).as(where + ": every documented value reached")
        .isEqualTo(scalars(results)).isPositive();
  }

  /** The number of scalars in {@code json}, every level counted. */
  public static int scalars(JsonNode json) {
    if (!json.isContainerNode()) return 1;
    int count = 0;
    for (Iterator<JsonNode> children = json.elements(); children.hasNext(); ) count += scalars(children.next());
    return count;
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e);
    }
  }
}
