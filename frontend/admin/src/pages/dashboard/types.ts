// The shapes GET /api/admin/dashboard answers (app/services/dashboard.py).
export interface CarrierFigures {
  carrier: string;
  delivered: number;
  promised: number;
  on_time: number;
  on_time_rate: number | null;
  median_transit_days: number | null;
  sampled: boolean;
}

export interface ReasonCounts {
  total: number;
  by_reason: { reason: string; count: number }[];
}

export interface DashboardData {
  days: number;
  since: string;
  timezone: string;
  in_flight: { total: number; by_status: Record<string, number> };
  delays: ReasonCounts; // parcels delayed now
  delays_started: ReasonCounts; // delays that began in the period
  carriers: CarrierFigures[];
  notifications: { total: number; series: { channel: string; total: number; days: { date: string; count: number }[] }[] };
  surveys: {
    kind: "nps" | "ces";
    responses: number;
    score: number | null;
    promoters: number | null;
    detractors: number | null;
    trend: { week: string; responses: number; score: number | null }[];
  };
}
