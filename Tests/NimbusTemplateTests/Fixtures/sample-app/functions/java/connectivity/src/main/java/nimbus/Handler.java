package nimbus;

import java.util.Map;

public class Handler {
    public Map<String, Object> handleRequest(Map<String, Object> event, Object context) {
        return Map.of("statusCode", 200, "body", "{\"success\":true}");
    }
}
