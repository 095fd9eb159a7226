// deploy/kubernetes and deploy/docker, checked without a cluster or docker: the checker
// (tests/deploy/check_manifests.py, PyYAML; it also runs the pods' shell commands with a stub
// drover for every index) passes on the committed manifests, and each kind of mistake it exists
// for, made in a copy, fails it with a line naming the problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

namespace fs = std::filesystem;
const std::string root = DROVER_SOURCE_ROOT;

process_result check(const std::string& tree) {
  return run_process({"/usr/bin/python3", root + "/tests/deploy/check_manifests.py", tree}, std::chrono::seconds(60));
}

// A copy of deploy/ and setup.sh with one text replaced in one file.
std::string mutated(const std::string& file, const std::string& from, const std::string& to) {
  const std::string dir = temp_dir("deploy-check");
  fs::copy(root + "/deploy", dir + "/deploy", fs::copy_options::recursive);
  fs::copy_file(root + "/setup.sh", dir + "/setup.sh");
  std::string text = read_file(dir + "/" + file);
  auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error(file + ": no '" + from + "' to replace");
  text.replace(at, from.size(), to);
  std::ofstream(dir + "/" + file, std::ios::trunc) << text;
  return dir;
}

// The manifests are data checked by a Python script: nothing here for a sanitizer to see, so
// the sanitizer builds leave both tests to the release build.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DROVER_SKIP_UNDER_SANITIZERS() GTEST_SKIP() << "data, not memory: run in the release build"
#else
#define DROVER_SKIP_UNDER_SANITIZERS() (void)0
#endif

TEST(DeployManifests, CommittedManifestsPass) {
  DROVER_SKIP_UNDER_SANITIZERS();
  auto r = check(root);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("deploy manifests: ok"), std::string::npos) << r.out;
}

TEST(DeployManifests, EachMistakeIsNamed) {
  DROVER_SKIP_UNDER_SANITIZERS();
  struct mistake {
    std::string file, from, to, says;
  };
  const std::vector<mistake> mistakes = {
      {"deploy/kubernetes/shards-job.yaml", "parallelism: 3", "parallelism: 2", "parallelism 2 != completions 3"},
      {"deploy/kubernetes/shards-job.yaml", "completionMode: Indexed", "completionMode: NonIndexed", "completionMode: Indexed"},
      {"deploy/kubernetes/shards-job.yaml", "restartPolicy: Never", "restartPolicy: OnFailure", "restartPolicy 'OnFailure'"},
      {"deploy/kubernetes/shards-job.yaml", "$((JOB_COMPLETION_INDEX + 1))/$SHARDS", "${JOB_COMPLETION_INDEX}/$SHARDS", "--shard"},
      {"deploy/kubernetes/shards-job.yaml", "mountPath: /results", "mountPath: /data", "is not under a mounted"},
      {"deploy/kubernetes/shards-job.yaml", "--out \"/results/shard-${JOB_COMPLETION_INDEX}\"", "--out /results/all", "the same for every shard"},
      {"deploy/kubernetes/run-config.yaml", "SHARDS: \"3\"", "SHARDS: \"4\"", "SHARDS 4"},
      {"deploy/kubernetes/results-pvc.yaml", "accessModes: [\"ReadWriteMany\"]", "accessModes: [\"ReadWriteOnce\"]", "not ReadWriteMany"},
      {"deploy/kubernetes/merge-job.yaml", "exec drover report merge /results/shard-*", "exec drover report merge /elsewhere/*", "merge reads"},
      {"deploy/kubernetes/kustomization.yaml", "  - merge-job.yaml\n", "", "merge-job.yaml is not in resources"},
      {"deploy/kubernetes/shards-job.yaml", "apiVersion: batch/v1", "apiVersion: batch/v1beta1", "wanted batch/v1"},
      // Found by running the pods' shell commands with a stub drover:
      {"deploy/kubernetes/shards-job.yaml", "rc=$?; if [ \"$rc\" -le 1 ]; then exit 0; fi; exit \"$rc\"", "exit $?",
       "index 0: drover exiting 1 fails the pod"},
      {"deploy/kubernetes/merge-job.yaml", "-lt \"$SHARDS\" ]", "-le \"$SHARDS\" ]", "did not finish in 10 s"},
      {"deploy/docker/Dockerfile", "FROM debian:12 AS build", "FROM ubuntu:22.04 AS build", "FROM ubuntu:22.04 is not debian:12"},
      {"deploy/docker/Dockerfile", "libcli11-dev", "libcli11-dev libfoo-dev", "libfoo-dev, which setup.sh does not list"},
  };
  for (const auto& m : mistakes) {
    const std::string dir = mutated(m.file, m.from, m.to);
    auto r = check(dir);
    EXPECT_EQ(r.exit_code, 1) << m.file << ": " << m.to << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(m.says), std::string::npos) << m.file << ": " << m.to << "\n" << r.out << r.err;
    fs::remove_all(dir);
  }
}

}  // namespace
}  // namespace drover::test
