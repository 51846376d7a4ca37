// Credential and endpoint lookup from the environment and the shared credentials file.
#include "engine/aws/credentials.hpp"

#include <cstdlib>
#include <fstream>

extern char** environ;

namespace engine::aws {

namespace {

std::string get(const Environment& env, const std::string& key) {
  auto it = env.find(key);
  return it == env.end() ? "" : it->second;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string Credentials::describe() const {
  std::string tail = access_key_id.size() > 4 ? access_key_id.substr(access_key_id.size() - 4) : "";
  return "key ..." + tail + (session_token.empty() ? "" : " (session)") + " from " + source;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

Result<Credentials> load_credentials(const Environment& env) {
  const std::string where = "aws:credentials";
  Credentials c;
  c.access_key_id = get(env, "AWS_ACCESS_KEY_ID");
  c.secret_access_key = get(env, "AWS_SECRET_ACCESS_KEY");
  if (!c.access_key_id.empty() && !c.secret_access_key.empty()) {
    c.session_token = get(env, "AWS_SESSION_TOKEN");
    c.source = "environment";
    return c;
  }
  std::string path = get(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (path.empty()) {
    std::string home = get(env, "HOME");
    if (home.empty())
      return Error{ErrorCode::kInvalidInput, where, "no AWS_ACCESS_KEY_ID in the environment and no HOME"};
    path = home + "/.aws/credentials";
  }
  std::string profile = get(env, "AWS_PROFILE");
  if (profile.empty()) profile = "default";
  std::ifstream in(path);
  if (!in)
    return Error{ErrorCode::kInvalidInput, where,
                 "no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment and no file " + path};
  // INI: "[profile]" sections of "key = value" lines; '#' and ';' start comments.
  std::string line, section;
  std::size_t line_no = 0;
  Credentials f;
  while (std::getline(in, line)) {
    ++line_no;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t[0] == '[') {
      if (t.back() != ']')
        return Error{ErrorCode::kInvalidInput, where, path + ":" + std::to_string(line_no) + ": unclosed '['"};
      section = trim(t.substr(1, t.size() - 2));
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos)
      return Error{ErrorCode::kInvalidInput, where, path + ":" + std::to_string(line_no) + ": expected key = value"};
    if (section != profile) continue;
    std::string key = trim(t.substr(0, eq)), value = trim(t.substr(eq + 1));
    if (key == "aws_access_key_id")
      f.access_key_id = value;
    else if (key == "aws_secret_access_key")
      f.secret_access_key = value;
    else if (key == "aws_session_token")
      f.session_token = value;
  }
  if (f.access_key_id.empty() || f.secret_access_key.empty())
    return Error{ErrorCode::kInvalidInput, where,
                 path + ": profile [" + profile + "] has no aws_access_key_id and aws_secret_access_key"};
  f.source = path + " [" + profile + "]";
  return f;
}

std::string AwsSettings::endpoint(const std::string& service) const {
  auto it = endpoints.find(service);
  if (it != endpoints.end()) return it->second;
  return "https://" + service + "." + region + ".amazonaws.com";
}

AwsSettings load_settings(const Environment& env) {
  AwsSettings s;
  std::string region = get(env, "AWS_REGION");
  if (region.empty()) region = get(env, "AWS_DEFAULT_REGION");
  if (!region.empty()) s.region = region;
  std::string all = get(env, "AWS_ENDPOINT_URL");
  for (const char* service : {"sns", "sqs", "s3", "lambda"}) {
    std::string own = get(env, "AWS_ENDPOINT_URL_" + upper(service));
    std::string url = own.empty() ? all : own;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.empty()) {
      s.endpoints[service] = url;
      s.custom_endpoints = true;
    }
  }
  return s;
}

}  // namespace engine::aws
