// A small RAII wrapper around a libvirt connection.
#include <memory>
#include <string>
#include <vector>
#include <libvirt/libvirt.h>

namespace kb {

class Connection {
public:
    explicit Connection(const std::string& uri)
        : conn_(virConnectOpen(uri.c_str())) {}
    ~Connection() { if (conn_) virConnectClose(conn_); }

    Connection(const Connection&) = delete;

    bool ok() const noexcept { return conn_ != nullptr; }

    template <typename F>
    void each_domain(F&& f) const {
        std::vector<int> ids(64);
        int n = virConnectListDomains(conn_, ids.data(), static_cast<int>(ids.size()));
        for (int i = 0; i < n; ++i) {
            f(ids[i]);
        }
    }

private:
    virConnectPtr conn_;
};

}  // namespace kb

int main() {
    auto c = std::make_unique<kb::Connection>("qemu:///system");
    c->each_domain([](int id) { std::printf("domain %d\n", id); });
    return c->ok() ? 0 : 1;
}
