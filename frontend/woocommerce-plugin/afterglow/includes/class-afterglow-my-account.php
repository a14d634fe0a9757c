<?php
/**
 * My Account › Orders: a "Track" action on each shipped order and the tracking section on the order's page.
 *
 * @package Afterglow
 */

defined( 'ABSPATH' ) || exit;

/**
 * The signed-in customer owns the order, so the widget is given its number and billing email and looks it up at
 * once; the shopper types nothing.
 */
class Afterglow_My_Account {

	const TRACKABLE = array( 'processing', 'completed', 'on-hold', 'shipped', 'delivered' );

	/**
	 * Hooks (on `init`).
	 */
	public static function register() {
		add_filter( 'woocommerce_my_account_my_orders_actions', array( __CLASS__, 'actions' ), 10, 2 );
		add_action( 'woocommerce_view_order', array( __CLASS__, 'section' ), 20 );
	}

	/**
	 * Adds "Track" beside View / Pay / Cancel.
	 *
	 * @param array    $actions The order's actions.
	 * @param WC_Order $order   The order.
	 * @return array
	 */
	public static function actions( $actions, $order ) {
		if ( $order && in_array( $order->get_status(), self::TRACKABLE, true ) ) {
			$actions['afterglow-track'] = array(
				'url'  => $order->get_view_order_url() . '#afterglow-tracking',
				'name' => __( 'Track', 'afterglow' ),
			);
		}
		return $actions;
	}

	/**
	 * The tracking section under the order details.
	 *
	 * @param int $order_id The order's id.
	 */
	public static function section( $order_id ) {
		$order = wc_get_order( $order_id );
		if ( ! $order || (int) $order->get_customer_id() !== get_current_user_id() ) {
			return;
		}
		echo '<section id="afterglow-tracking" class="woocommerce-afterglow-tracking">';
		echo '<h2>' . esc_html__( 'Tracking', 'afterglow' ) . '</h2>';
		echo Afterglow_Widget::markup( // phpcs:ignore WordPress.Security.EscapeOutput -- attributes escaped in markup().
			array(
				'number' => (string) $order->get_order_number(),
				'email'  => (string) $order->get_billing_email(),
			)
		);
		echo '</section>';
	}
}
