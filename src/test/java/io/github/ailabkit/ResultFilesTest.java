package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.internal.ResponseReader;
import io.github.ailabkit.testing.Images;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding result files in every documented answer shape. */
class ResultFilesTest {
  private static final String A = "https://ai-result.oss-us-west-1.aliyuncs.com/out/a.png?Expires=1714829772&Signature=x%2By";
  private static final String B = "https://ai-result.oss-us-west-1.aliyuncs.com/out/b.jpg";
  private static final String C = "http://cdn.example.com/c.webp";

  private static TaskResult completed(String json) {
    return ResponseReader.taskResult(parse(json));
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<URI> uris(String... values) {
    return java.util.Arrays.stream(values).map(URI::create).toList();
  }

  @Test
  void dataImage() {
    assertThat(ResultFiles.urls(completed("{'task_status':2,'data':{'image':'" + A + "'}}"))).isEqualTo(uris(A));
  }

  @Test
  void dataImages() {
    assertThat(ResultFiles.urls(completed("{'task_status':2,'data':{'images':['" + A + "','" + B + "']}}")))
        .isEqualTo(uris(A, B));
  }

  @Test
  void dataResultUrls() {
    assertThat(ResultFiles.urls(completed("{'task_status':2,'data':{'result_urls':['" + B + "','" + C + "']}}")))
        .isEqualTo(uris(B, C));
  }

  @Test
  void dataImageUrl() {
    assertThat(ResultFiles.urls(completed("{'task_status':2,'data':{'image_url':'" + A + "'}}"))).isEqualTo(uris(A));
  }

  @Test
  void dataResultUrl() {
    assertThat(ResultFiles.urls(completed("{'task_status':2,'data':{'result_url':'" + C + "'}}"))).isEqualTo(uris(C));
  }

  @Test
  void topLevelOutputImageUrl() {
    assertThat(ResultFiles.urls(completed("{'task_status':2,'output':{'image_url':'" + B + "'}}")))
        .isEqualTo(uris(B));
  }

  @Test
  void nestedObjectsAndArraysInDocumentOrder() {
    String json = "{'task_status':2,'data':{'result':{'elements':[{'image_url':'" + B + "'},{'frames':['" + C
        + "']}]},'image':'" + A + "'},'output':{'image_url':'" + C + "'}}";
    assertThat(ResultFiles.urls(completed(json))).isEqualTo(uris(B, C, A));
  }

  @Test
  void duplicatesAreRemoved() {
    String json = "{'task_status':2,'data':{'image':'" + A + "','images':['" + A + "','" + B + "'],'image_url':'" + B
        + "'},'output':{'image_url':'" + A + "'}}";
    assertThat(ResultFiles.urls(completed(json))).isEqualTo(uris(A, B));
  }

  @Test
  void stringsThatAreNotHttpUrlsAreIgnored() {
    String json = "{'task_status':2,'data':{'task_type':'async','note':'see https in the docs','rel':'/out/a.png',"
        + "'ftp':'ftp://files.example/a.png','nohost':'https://','file':'file:///etc/passwd','n':3,'b':true,"
        + "'nothing':null,'image':'  " + A + "  '}}";
    assertThat(ResultFiles.urls(completed(json))).isEqualTo(uris(A));
  }

  @Test
  void topLevelResultImageOfASyncAnswer() {
    // lips-color-changer, face-beauty-advanced document {"...","result_image":""}
    ApiResponse answer = new ApiResponse("r", "", ErrorDetail.NONE, parse("{'error_code':0,'result_image':'" + A + "'}"));
    assertThat(ResultFiles.urls(answer)).isEqualTo(uris(A));
  }

  @Test
  void topLevelResultObjectOfASyncAnswer() {
    // face-attribute-editing documents {"...","result":{"image":""}}
    ApiResponse answer = new ApiResponse("r", "", ErrorDetail.NONE, parse("{'result':{'image':'" + B + "'}}"));
    assertThat(ResultFiles.urls(answer)).isEqualTo(uris(B));
  }

  @Test
  void dataAndOutputComeBeforeOtherTopLevelMembers() {
    String json = "{'task_status':2,'result':'" + C + "','output':{'image_url':'" + B + "'},'data':{'image':'" + A + "'}}";
    assertThat(ResultFiles.urls(completed(json))).isEqualTo(uris(A, B, C));
  }

  @Test
  void fieldsThatDescribeTheCallAreNotResults() {
    String json = "{'request_id':'" + A + "','log_id':'" + A + "','task_id':'" + C + "','task_status':2,"
        + "'error_msg':'" + C + "','error_detail':{'message':'" + B + "'},'data':{}}";
    assertThat(ResultFiles.urls(completed(json))).isEmpty();
  }

  @Test
  void noDataMeansNoUrls() {
    assertThat(ResultFiles.urls(completed("{'task_status':1}"))).isEmpty();
    assertThat(ResultFiles.urls(completed("{'task_status':2,'data':null}"))).isEmpty();
  }

  @Test
  void urlWithCharactersThatNeedEncodingIsKeptEncoded() {
    // Object keys may carry spaces or non-ASCII characters; such a URL must not be dropped silently.
    String json = "{'task_status':2,'data':{'image':'https://files.example/out/my photo 照片.png?x=a b'}}";
    List<URI> urls = ResultFiles.urls(completed(json));
    assertThat(urls).hasSize(1);
    assertThat(urls.get(0).getHost()).isEqualTo("files.example");
    assertThat(urls.get(0).getPath()).isEqualTo("/out/my photo 照片.png");
    assertThat(urls.get(0).toASCIIString()).doesNotContain(" ");
  }

  @Test
  void syncAnswerAndRawJsonOverloads() {
    JsonNode body = parse("{'request_id':'r','data':{'image_url':'" + A + "'}}");
    ApiResponse response = new ApiResponse("r", "", ErrorDetail.NONE, body);
    assertThat(ResultFiles.urls(response)).isEqualTo(uris(A));
    assertThat(ResultFiles.urls(body)).isEqualTo(uris(A));
  }

  @Test
  void resultsAreImmutable() {
    List<URI> urls = ResultFiles.urls(completed("{'task_status':2,'data':{'image':'" + A + "'}}"));
    assertThatThrownBy(() -> urls.add(URI.create(B))).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- base64 images ----

  @Test
  void plainBase64ImageIsDecoded() {
    byte[] png = Images.bytes(ImageFormat.PNG, 300);
    String json = "{'task_status':2,'data':{'image':'" + Base64.getEncoder().encodeToString(png) + "'}}";
    assertThat(ResultFiles.base64Images(completed(json))).containsExactly(png);
    assertThat(ResultFiles.urls(completed(json))).isEmpty();
  }

  @Test
  void topLevelBase64ImageOfASyncAnswerIsDecoded() {
    // image-colorization, image-style-conversion, image-defogging, ... document {"...","image":""}
    byte[] png = Images.bytes(ImageFormat.PNG, 300);
    String json = "{'error_code':0,'image':'" + Base64.getEncoder().encodeToString(png) + "'}";
    assertThat(ResultFiles.base64Images(new ApiResponse("r", "", ErrorDetail.NONE, parse(json)))).containsExactly(png);
  }

  @Test
  void dataUriBase64ImageIsDecoded() {
    byte[] jpeg = Images.bytes(ImageFormat.JPEG, 500);
    byte[] webp = Images.bytes(ImageFormat.WEBP, 400);
    String json = "{'data':{'images':['data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg)
        + "','data:image/webp;base64," + Base64.getEncoder().encodeToString(webp) + "']}}";
    ApiResponse response = new ApiResponse("r", "", ErrorDetail.NONE, parse(json));
    assertThat(ResultFiles.base64Images(response)).containsExactly(jpeg, webp);
    assertThat(ResultFiles.urls(response)).isEmpty();
  }

  @Test
  void base64WithLineBreaksIsDecoded() {
    byte[] png = Images.bytes(ImageFormat.PNG, 2000);
    String mime = Base64.getMimeEncoder().encodeToString(png).replace("\r\n", "\\n");
    assertThat(ResultFiles.base64Images(completed("{'task_status':2,'data':{'image':'" + mime + "'}}")))
        .containsExactly(png);
  }

  @Test
  void urlSafeBase64IsDecodedExactly() {
    byte[] png = Images.bytes(ImageFormat.PNG, 3000);
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(png);
    assertThat(urlSafe).containsAnyOf("-", "_");
    assertThat(ResultFiles.base64Images(completed("{'task_status':2,'data':{'image':'" + urlSafe + "'}}")))
        .containsExactly(png);
  }

  @Test
  void textWithCharactersOutsideBase64IsNotDecoded() {
    // A lenient decoder would skip the '*' and '.' characters and find a JPEG header in what remains.
    String text = "/9j/" + "*".repeat(10) + Base64.getEncoder().encodeToString(Images.bytes(ImageFormat.PNG, 200))
        .substring(4) + "...";
    assertThat(ResultFiles.base64Images(completed("{'task_status':2,'data':{'v':'" + text + "'}}"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "short",
      "async",
      "this is a long sentence that is certainly not base64 but long enough to be considered at all",
      A,
  })
  void stringsThatAreNotBase64ImagesAreIgnored(String value) {
    assertThat(ResultFiles.base64Images(completed("{'task_status':2,'data':{'v':'" + value + "'}}"))).isEmpty();
  }

  @Test
  void base64OfSomethingThatIsNoImageIsIgnored() {
    String text = Base64.getEncoder().encodeToString("{\"json\":\"not an image at all, just some text\"}".repeat(3)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ResultFiles.base64Images(completed("{'task_status':2,'data':{'v':'" + text + "'}}"))).isEmpty();
  }

  @Test
  void urlsAndBase64InOneAnswerAreToldApart() {
    byte[] png = Images.bytes(ImageFormat.PNG, 300);
    String json = "{'task_status':2,'data':{'image':'" + Base64.getEncoder().encodeToString(png) + "','image_url':'"
        + B + "'}}";
    assertThat(ResultFiles.urls(completed(json))).isEqualTo(uris(B));
    assertThat(ResultFiles.base64Images(completed(json))).containsExactly(png);
  }
}
