#include "grpc_common.h"
#include "grpc_services.h"

namespace sluice::controller {

grpc::Status AgentServiceImpl::Enroll(grpc::ServerContext* context,
                                      const v1::EnrollRequest* request,
                                      v1::EnrollResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AgentService/Enroll");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(Enrollment enrolled,
                               core_.agents->enroll(request->token(), request->csr_pem(),
                                                    request->hostname(), request->agent_version()));
  SLUICE_GRPC_ASSIGN_OR_RETURN(std::string public_pem, core_.signing_key.publicPem());
  response->set_agent_id(enrolled.agent.id);
  response->set_certificate_pem(enrolled.cert.pem);
  response->set_ca_certificate_pem(core_.ca->certPem());
  response->set_not_after_unix(enrolled.cert.not_after_unix);
  response->set_policy_public_key_pem(public_pem);
  response->mutable_labels()->insert(enrolled.labels.begin(), enrolled.labels.end());
  return grpc::Status::OK;
}

grpc::Status AgentServiceImpl::Renew(grpc::ServerContext* context, const v1::RenewRequest* request,
                                     v1::RenewResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AgentService/Renew");
  SLUICE_GRPC_ASSIGN_OR_RETURN(IssuedCert cert,
                               core_.agents->renew(principal.id, request->csr_pem()));
  response->set_certificate_pem(cert.pem);
  response->set_not_after_unix(cert.not_after_unix);
  return grpc::Status::OK;
}

grpc::Status AgentServiceImpl::WatchPolicy(grpc::ServerContext* context,
                                           const v1::WatchPolicyRequest* request,
                                           grpc::ServerWriter<v1::PolicyBundle>* writer) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AgentService/WatchPolicy");
  uint64_t sent = request->current_version();
  uint64_t generation = core_.policies->generation();
  while (!context->IsCancelled() && !stopping_.load()) {
    // Re-read the agent each round: a revocation ends the stream within one poll.
    SLUICE_GRPC_ASSIGN_OR_RETURN(AgentView agent, core_.agents->get(principal.id));
    if (agent.record.status != "active") {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "agent " + principal.id + " is revoked");
    }
    SLUICE_GRPC_ASSIGN_OR_RETURN(auto latest, core_.policies->latestFor(agent.labels));
    if (latest && latest->version > sent) {
      SLUICE_GRPC_ASSIGN_OR_RETURN(v1::PolicyBundle bundle, core_.policies->bundle(*latest));
      if (!writer->Write(bundle)) break;
      sent = latest->version;
    }
    generation = core_.policies->waitForChange(generation, options_.watch_poll_ms);
  }
  return grpc::Status::OK;
}

grpc::Status AgentServiceImpl::StreamEvents(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::EventAck, v1::EventBatch>* stream) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AgentService/StreamEvents");
  v1::EventBatch batch;
  while (!stopping_.load() && stream->Read(&batch)) {
    SLUICE_GRPC_RETURN_IF_ERROR(core_.auth->authenticateAgent(principal.id));
    SLUICE_GRPC_ASSIGN_OR_RETURN(auto ids, core_.events->ingest(principal.id, batch));
    v1::EventAck ack;
    for (auto& id : ids) ack.add_event_ids(std::move(id));
    if (!stream->Write(ack)) break;
  }
  return grpc::Status::OK;
}

}  // namespace sluice::controller
