// Test helper: prints a YAML file as JSON (scalars as strings), so the install checks can read
// docker/compose.yaml without a YAML module for Python.
#include <iostream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace {

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      auto object = nlohmann::json::object();
      for (const auto& entry : node) {
        object[entry.first.as<std::string>()] = to_json(entry.second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      auto array = nlohmann::json::array();
      for (const auto& item : node) {
        array.push_back(to_json(item));
      }
      return array;
    }
    case YAML::NodeType::Scalar:
      return node.Scalar();
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: warroom_yaml_to_json FILE.yaml\n";
    return 2;
  }
  try {
    std::cout << to_json(YAML::LoadFile(argv[1])).dump(2) << '\n';
  } catch (const YAML::Exception& e) {
    std::cerr << argv[1] << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
