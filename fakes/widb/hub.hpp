#pragma once
// Fan-out of the WiDB fake: per apiKey, the dashboards associated with it. A phone publishes
// each logData / deviceMetrics text to its apiKey's dashboards (and to spies, the dashboards
// with fault fanout-wrong-apikey, which get every other apiKey's traffic too).
//
// Threading: any method, any thread. Each apiKey has its own mutex and pushes go into each
// dashboard's mailbox under it, so a dashboard sees each phone's messages in the order the
// phone sent them whichever workers they run on. A dashboard drains its mailbox on its own
// thread (the wake callback must post the drain, never run it inline).
#include "fakes/common/mailbox.hpp"
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace drover::fakes::widb {

using text_ptr = std::shared_ptr<const std::string>;

using mailbox = fakes::mailbox<text_ptr>;

class hub {
 public:
  void associate(const std::string& api_key, const std::shared_ptr<mailbox>& dashboard);
  void dissociate(const std::string& api_key, const std::shared_ptr<mailbox>& dashboard);
  void add_spy(const std::string& api_key, const std::shared_ptr<mailbox>& spy);
  void remove_spy(const std::shared_ptr<mailbox>& spy);
  // Delivers to every dashboard of api_key (and to the spies of other apiKeys).
  void publish(const std::string& api_key, const text_ptr& text);
  // apiKeys with at least one dashboard (an apiKey's entry goes with its last dashboard, so
  // memory follows the open dashboards, not every key ever seen).
  std::size_t channel_count();

 private:
  struct channel {
    std::mutex mutex;
    std::vector<std::shared_ptr<mailbox>> dashboards;
  };
  std::shared_ptr<channel> find(const std::string& api_key);

  std::mutex channels_mutex_;
  std::unordered_map<std::string, std::shared_ptr<channel>> channels_;
  std::mutex spies_mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<mailbox>>> spies_;
  std::atomic<std::size_t> spy_count_{0};
};

}  // namespace drover::fakes::widb
